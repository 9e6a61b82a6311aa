package dev.postpurchase.examples.integrator;

import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.order.Order;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's own orders table, {@code shop_orders}: {@code PAID} when the payment is recorded (in the same
 * transaction as the order's actions), {@code COMPLETED} when the pipeline reports that every action succeeded
 * ({@link PipelineListener#triggerCompleted}), {@code REFUNDED} when the shop refunds it. Plug it into the pipeline
 * with {@code ActionPipeline.builder().listener(shopOrders)}.
 *
 * <p>The pipeline reports a completion once, on the node that completed the order, after the commit; a node that
 * dies in between does not report it. {@link #catchUp} closes that gap at start-up from the store's durable record.
 * The report arrives on the pipeline's own thread, which listeners must not hold up: here it is one single-row
 * update; heavier work (emails to staff, calls to other services) belongs on a queue of its own.
 */
public final class ShopOrders implements PipelineListener {
    private static final Logger LOG = LoggerFactory.getLogger(ShopOrders.class);

    /** The shop's statuses. */
    public static final String PAID = "PAID";

    public static final String COMPLETED = "COMPLETED";
    public static final String REFUNDED = "REFUNDED";

    private final DataSource dataSource;

    private ShopOrders(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The table in {@code dataSource}, created when missing. */
    public static ShopOrders create(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS shop_orders (id VARCHAR(200) PRIMARY KEY, status VARCHAR(20) NOT NULL,"
                            + " total_minor BIGINT NOT NULL, currency CHAR(3) NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create shop_orders", e);
        }
        return new ShopOrders(dataSource);
    }

    /** The order's status in the shop, if recorded. */
    public Optional<String> status(String orderId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT status FROM shop_orders WHERE id = ?")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read shop_orders", e);
        }
    }

    /** Records a paid order on the caller's transaction; false when it was recorded before. */
    boolean insertPaid(Connection c, Order order) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO shop_orders (id, status, total_minor, currency) SELECT ?, 'PAID', ?, ?"
                        + " WHERE NOT EXISTS (SELECT 1 FROM shop_orders WHERE id = ?)")) {
            ps.setString(1, order.id());
            ps.setLong(2, order.totals().total());
            ps.setString(3, order.currency());
            ps.setString(4, order.id());
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks a recorded order refunded on the caller's transaction; false when there is no such order. */
    boolean markRefunded(Connection c, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE shop_orders SET status = 'REFUNDED' WHERE id = ?")) {
            ps.setString(1, orderId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks a paid order completed; a refunded one stays refunded. */
    void markCompleted(String orderId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE shop_orders SET status = 'COMPLETED' WHERE id = ? AND status = 'PAID'")) {
            ps.setString(1, orderId);
            if (ps.executeUpdate() == 1) {
                LOG.info("order {} is completed: every action succeeded", orderId);
            }
        } catch (SQLException e) {
            // the completion is durable in the SDK's tables; catchUp finds it at the next start
            LOG.warn("cannot mark order {} completed; the next start catches up", orderId, e);
        }
    }

    /** The pipeline reports an order all of whose actions succeeded. */
    @Override
    public void triggerCompleted(TriggerCompletion completion) {
        if (completion.kind() == TriggerKind.ORDER) {
            markCompleted(completion.id());
        }
    }

    /**
     * Marks completed the paid orders whose completion the store recorded but this shop never heard (its node died
     * between the commit and the report); at most {@code limit} of them per call.
     *
     * @param completed whether the store recorded the order as completed
     * @return how many orders were marked
     */
    int catchUp(java.util.function.Predicate<String> completed, int limit) {
        List<String> paid = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM shop_orders WHERE status = 'PAID'")) {
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    paid.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read shop_orders", e);
        }
        int marked = 0;
        for (String id : paid) {
            if (completed.test(id)) {
                markCompleted(id);
                marked++;
            }
        }
        return marked;
    }
}
