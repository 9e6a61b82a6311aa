package dev.postpurchase.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.spi.IntegrationSetting;
import dev.postpurchase.testing.RecordingExecutor;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two application nodes, each with its own pool, definition source, integration settings, run store and pipeline,
 * share one database: an edit saved on one node is used by the other node's next orders within the bound. No test
 * measures time: each polls until the other node sees the edit and fails only after a deadline far above the bound.
 */
abstract class AbstractConfigurationAcrossNodesTest {
    /** Far above every bound (NOTIFY: milliseconds; version check: the 200 ms refresh interval plus one query). */
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final RecordingExecutor crm = new RecordingExecutor("crm");
    private final ActionExecutors executors = ActionExecutors.of(List.of(crm));
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final String checkout = "checkout-" + UUID.randomUUID().toString().substring(0, 8);
    protected Node editor;
    protected Node other;

    /** The fixture of the subclass's database. */
    abstract ConfigFixture db();

    /** How the nodes' sources are built: the refresh interval and whether they listen. */
    abstract JdbcDefinitionSource.Builder tune(JdbcDefinitionSource.Builder builder);

    abstract JdbcIntegrationSettings.Builder tune(JdbcIntegrationSettings.Builder builder);

    /** One application node. */
    record Node(JdbcDefinitionSource definitions, JdbcIntegrationSettings integrations, ActionPipeline pipeline) {}

    @BeforeEach
    void startTwoNodes() {
        db().truncate();
        editor = node("editor");
        other = node("other");
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void anEditOnOneNodeIsUsedByTheOtherNodesNextOrder() {
        editor.definitions().createDefinition(crm("https://crm.example/v1"));
        assertThat(snapshotOfNewOrder(other)).contains("https://crm.example/v1"); // the other node has cached it

        editor.definitions().updateDefinition(crm("https://crm.example/v2"), 1);

        awaitTrue(() ->
                other.definitions().forCheckout(checkout).get(0).configJson().contains("https://crm.example/v2"));
        assertThat(snapshotOfNewOrder(other)).contains("https://crm.example/v2");
    }

    @Test
    void aDefinitionDisabledOnOneNodeStopsRunningOnTheOther() {
        editor.definitions().createDefinition(crm("https://crm.example/on"));
        assertThat(snapshotOfNewOrder(other)).contains("https://crm.example/on");

        editor.definitions().updateDefinition(crm("https://crm.example/on").withEnabled(false), 1);

        awaitTrue(() -> !other.definitions().forCheckout(checkout).get(0).enabled());
        assertThat(other.pipeline().submit(order()).runs()).isEmpty();
    }

    @Test
    void switchesAndIntegrationsChangedOnOneNodeAreSeenByTheOther() {
        assertThat(other.definitions().eventEnabled(ShopEventType.REFUND_APPLIED))
                .isTrue();
        assertThat(other.integrations().isEnabled("systemeio")).isFalse();

        editor.definitions().setEventEnabled(ShopEventType.REFUND_APPLIED, false);
        editor.integrations().save(IntegrationSetting.enabled("systemeio", Secret.of("sk-node-test")));

        awaitTrue(() -> !other.definitions().eventEnabled(ShopEventType.REFUND_APPLIED));
        awaitTrue(() -> other.integrations().isEnabled("systemeio"));
        assertThat(other.integrations().apiKey("systemeio")).contains(Secret.of("sk-node-test"));
    }

    protected Node node(String name) {
        HikariDataSource pool = db().separatePool(name + "-" + getClass().getSimpleName(), 5);
        closing.add(pool);
        JdbcDefinitionSource definitions =
                tune(db().definitions(pool, executors)).build();
        closing.add(definitions);
        JdbcIntegrationSettings integrations = tune(JdbcIntegrationSettings.builder()
                        .dataSource(pool)
                        .dialect(db().dialect)
                        .tablePrefix(db().prefix)
                        .secretCodec(ConfigFixture.CODEC))
                .build();
        closing.add(integrations);
        ActionPipeline pipeline = ActionPipeline.builder()
                .store(db().store(pool))
                .definitions(definitions)
                .executor(crm)
                .startWorkers(false)
                .nodeId(name)
                .build();
        closing.add(pipeline);
        return new Node(definitions, integrations, pipeline);
    }

    private ActionDefinition crm(String url) {
        return TestDefinitions.definition("crm-" + checkout, "crm", ActionLevel.CHECKOUT, checkout, Map.of("url", url));
    }

    private dev.postpurchase.core.order.Order order() {
        return TestOrders.paidOrder("order-" + UUID.randomUUID())
                .checkoutId(checkout)
                .build();
    }

    private String snapshotOfNewOrder(Node node) {
        List<ActionRun> runs = node.pipeline().submit(order()).runs();
        assertThat(runs).hasSize(1);
        return runs.get(0).configJson();
    }

    static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the other node did not see the change within " + DEADLINE);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
