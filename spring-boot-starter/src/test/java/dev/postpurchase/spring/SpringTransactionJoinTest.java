package dev.postpurchase.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.micrometer.PipelineMetrics;
import dev.postpurchase.micrometer.RunCountGauges;
import dev.postpurchase.testing.RecordingExecutor;
import dev.postpurchase.testing.RecordingListener;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code pipeline.submit} inside a Spring-managed transaction writes on that transaction's connection: the shop's
 * row and the order's runs commit together or roll back together; outside a transaction it commits on its own.
 */
@SpringBootTest(
        classes = SpringTransactionJoinTest.ShopApp.class,
        properties = {"postpurchase.workers=2", "postpurchase.poll-interval=30s", "postpurchase.lease-duration=20s"})
class SpringTransactionJoinTest {
    static final String PREFIX = "sbst_";
    static final String SHOP_TABLE = "sbst_shop_order";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.reset(registry, PREFIX, SHOP_TABLE);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ShopApp {
        @Bean
        RecordingExecutor receipt() {
            return new RecordingExecutor("receipt");
        }

        @Bean
        RecordingExecutor grant() {
            return new RecordingExecutor("grant");
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        RecordingListener heardEvents() {
            return new RecordingListener();
        }
    }

    @Autowired
    ActionPipeline pipeline;

    @Autowired
    ActionStateStore store;

    @Autowired
    DefinitionStore definitions;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RecordingExecutor receipt;

    @Autowired
    MeterRegistry meters;

    @Autowired
    RecordingListener heard;

    @Autowired
    PostpurchaseMetricsAutoConfiguration.RunGauges gauges;

    @BeforeEach
    void definitions() {
        if (definitions.findDefinition("receipt-1").isEmpty()) {
            definitions.createDefinition(
                    TestDefinitions.definition("receipt-1", "receipt", ActionLevel.CHECKOUT, "checkout-1"));
        }
        if (definitions.findDefinition("grant-1").isEmpty()) {
            definitions.createDefinition(TestDefinitions.definition("grant-1", "grant", ActionLevel.OFFER, "offer-1"));
        }
    }

    @Test
    void theRunsOfAnOrderSubmittedInATransactionCommitWithTheShopsRowAndRunAfterTheCommit() throws Exception {
        Order order = order();
        int before = receipt.executions().size();

        transactions.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO " + SHOP_TABLE + " (id) VALUES (?)", order.id());
            assertThat(pipeline.submit(order).runs()).hasSize(2);
            // not committed yet: another thread, on its own connection, sees neither the row nor the runs
            assertThat(elsewhere(() -> store.runs(dev.postpurchase.core.action.TriggerKind.ORDER, order.id())))
                    .isEmpty();
            assertThat(elsewhere(() -> shopRows(order.id()))).isZero();
            // this thread, inside the transaction, sees its own runs
            assertThat(pipeline.runsOfOrder(order.id())).hasSize(2);
            assertThat(heard.about(order.id()))
                    .as("listeners hear nothing before the commit")
                    .isEmpty();
        });

        assertThat(shopRows(order.id())).isOne();
        assertThat(pipeline.runsOfOrder(order.id())).hasSize(2);
        // woken by the commit, not by the 30 s poll
        assertThat(receipt.awaitExecutions(before + 1, Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.progressOfOrder(order.id()).completed()).isTrue();
        List<String> events = heard.about(order.id());
        assertThat(events)
                .as("both runs are reported created once, after the commit")
                .filteredOn(e -> e.endsWith("PENDING"))
                .hasSize(2);
        assertThat(events).filteredOn(e -> e.endsWith("completed")).hasSize(1);
    }

    @Test
    void whenTheTransactionRollsBackAfterTheSubmitNeitherTheShopsRowNorTheRunsRemain() {
        Order order = order();

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
                    jdbc.update("INSERT INTO " + SHOP_TABLE + " (id) VALUES (?)", order.id());
                    assertThat(pipeline.submit(order).created()).isTrue();
                    throw new IllegalStateException("payment capture failed");
                }))
                .hasMessage("payment capture failed");

        assertThat(shopRows(order.id())).isZero();
        assertThat(pipeline.runsOfOrder(order.id())).isEmpty();
        assertThat(receipt.executions()).noneMatch(e -> e.run().triggerId().equals(order.id()));
        assertThat(heard.about(order.id()))
                .as("listeners never hear of rolled-back runs")
                .isEmpty();
        // the order can be submitted again, and this time it sticks
        assertThat(pipeline.submit(order).created()).isTrue();
        assertThat(pipeline.runsOfOrder(order.id())).hasSize(2);
    }

    @Test
    void outsideATransactionASubmitCommitsAtOnce() throws Exception {
        Order order = order();

        pipeline.submit(order);

        assertThat(elsewhere(() -> store.runs(dev.postpurchase.core.action.TriggerKind.ORDER, order.id())))
                .hasSize(2);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.progressOfOrder(order.id()).completed()).isTrue();
    }

    @Test
    void theStarterRegistersEveryExecutorBeanAndTheMetrics() throws Exception {
        assertThat(pipeline.executors().types()).containsExactlyInAnyOrder("receipt", "grant");
        Order order = order();
        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(meters.get(PipelineMetrics.ATTEMPTS)
                        .tags("type", "grant", "outcome", "succeeded")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1.0);
        assertThat(meters.get(PipelineMetrics.ATTEMPT_DURATION)
                        .tags("type", "grant", "outcome", "succeeded")
                        .timer()
                        .count())
                .isGreaterThanOrEqualTo(1);
        gauges.refresh();
        assertThat(meters.get(RunCountGauges.NAME)
                        .tag("status", "pending")
                        .gauge()
                        .value())
                .isZero();
        assertThat(meters.get(RunCountGauges.NAME)
                        .tag("status", "failed")
                        .gauge()
                        .value())
                .isZero();
    }

    private static Order order() {
        return TestOrders.paidOrder("sbst-" + UUID.randomUUID()).build();
    }

    private int shopRows(String id) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM " + SHOP_TABLE + " WHERE id = ?", Integer.class, id);
        return count == null ? 0 : count;
    }

    private static <T> T elsewhere(java.util.function.Supplier<T> work) {
        return CompletableFuture.supplyAsync(work).join();
    }
}
