package dev.postpurchase.examples.spring;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.Transaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The payment provider's "paid" callback, simplified: records the order in the shop's table, submits it to the
 * pipeline and takes a seat of the course, all in one transaction (the starter joins {@code submit} to it), so an
 * order is never recorded without its actions, nor the reverse.
 */
@RestController
public class PaidOrderController {
    /** The one checkout of this example. */
    public static final String CHECKOUT = "web";

    /** What the payment callback says. */
    public record PaidOrder(
            String id, String email, String productId, String title, long amountCents, String currency) {}

    private final JdbcTemplate jdbc;
    private final ActionPipeline pipeline;

    public PaidOrderController(JdbcTemplate jdbc, ActionPipeline pipeline) {
        this.jdbc = jdbc;
        this.pipeline = pipeline;
    }

    @PostMapping("/orders/paid")
    @Transactional
    public Map<String, Object> paid(@RequestBody PaidOrder paid) {
        jdbc.update(
                "INSERT INTO shop_order (id, email, amount_cents, currency) VALUES (?, ?, ?, ?)",
                paid.id(),
                paid.email(),
                paid.amountCents(),
                paid.currency());
        Order order = Order.builder()
                .id(paid.id())
                .checkoutId(CHECKOUT)
                .currency(paid.currency())
                .language("en")
                .customer(Customer.builder(paid.email()).build())
                .item(LineItem.builder()
                        .productId(paid.productId())
                        .title(paid.title())
                        .quantity(1)
                        .unitPrice(paid.amountCents())
                        .discount(0)
                        .tax(0)
                        .build())
                .transaction(new Transaction("tx-" + paid.id(), "example", "card", null, Instant.now()))
                .build();
        List<String> actions =
                pipeline.submit(order).runs().stream().map(ActionRun::name).toList();
        // the last step can still fail (a sold-out course: seats_left must stay >= 0): then the transaction rolls
        // back with the order's row and the runs the submit wrote
        jdbc.update("UPDATE course_seats SET seats_left = seats_left - 1 WHERE product_id = ?", paid.productId());
        return Map.of("order", paid.id(), "actions", actions);
    }

    @GetMapping("/orders/{id}/actions")
    public List<Map<String, Object>> actions(@PathVariable("id") String id) {
        return pipeline.runsOfOrder(id).stream()
                .map(run -> Map.<String, Object>of(
                        "action", run.name(), "status", run.status().name(), "attempts", run.attempts()))
                .toList();
    }
}
