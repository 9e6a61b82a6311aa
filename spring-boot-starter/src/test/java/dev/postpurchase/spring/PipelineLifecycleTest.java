package dev.postpurchase.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.testing.ScriptedExecutor;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * {@link PipelineLifecycle} in a real application context on the local PostgreSQL: closing the context stops the
 * pipeline gracefully within {@code postpurchase.shutdown-deadline}, and retention deletes the finished orders older
 * than {@code postpurchase.retention.keep}.
 */
class PipelineLifecycleTest {
    static final String PREFIX = "sblc_";
    static final String SHOP_TABLE = "sblc_shop_order";

    private ConfigurableApplicationContext context;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SlowApp {
        /** Holds every execution until the test releases it. */
        @Bean
        ScriptedExecutor slow() {
            return new ScriptedExecutor("slow", true, RetryPolicy.none()).holdExecutions();
        }
    }

    @AfterEach
    void close() {
        if (context != null) {
            context.getBean(ScriptedExecutor.class).release();
            context.close();
        }
    }

    private ConfigurableApplicationContext start(String... properties) {
        Map<String, Object> database = new LinkedHashMap<>();
        TestPostgres.reset((name, value) -> database.put(name, value.get()), PREFIX, SHOP_TABLE);
        List<String> all = new java.util.ArrayList<>();
        database.forEach((k, v) -> all.add(k + "=" + v));
        all.add("postpurchase.workers=2");
        // nothing is woken by polling in these tests: the submit wakes the workers
        all.add("postpurchase.poll-interval=30s");
        all.add("spring.flyway.enabled=false");
        all.addAll(Arrays.asList(properties));
        context = new SpringApplicationBuilder(SlowApp.class)
                .web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new))
                .run();
        context.getBean(DefinitionStore.class)
                .createDefinition(TestDefinitions.definition("slow-1", "slow", ActionLevel.CHECKOUT, "checkout-1"));
        return context;
    }

    @Test
    void closingTheContextWaitsForTheRunInFlightAndRecordsItsOutcomeBeforeReturning() throws Exception {
        ConfigurableApplicationContext app = start("postpurchase.shutdown-deadline=30s");
        ScriptedExecutor slow = app.getBean(ScriptedExecutor.class);
        app.getBean(ActionPipeline.class)
                .submit(TestOrders.paidOrder("lc-graceful").build());
        assertThat(slow.awaitEntered(Duration.ofSeconds(10))).isTrue();

        Thread closer = new Thread(app::close, "context-closer");
        long started = System.nanoTime();
        closer.start();
        // the close has reached the pipeline's graceful stop, which waits for the held run
        awaitFrameIn(closer, PipelineLifecycle.class.getName(), "stop");
        assertThat(statusOf("lc-graceful")).isEqualTo("RUNNING");
        assertThat(closer.isAlive()).isTrue();

        slow.release();
        closer.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(closer.isAlive()).as("the close returned").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("the run finished well within the 30 s deadline, so the close did not wait for it")
                .isLessThan(Duration.ofSeconds(30));
        assertThat(statusOf("lc-graceful")).isEqualTo("SUCCEEDED");
        assertThat(attemptsOf("lc-graceful")).isOne();
        assertThat(slow.calls()).isOne();
        context = null;
    }

    @Test
    void aRunStillExecutingAtTheShutdownDeadlineStaysRunningAndRecoverable() throws Exception {
        ConfigurableApplicationContext app =
                start("postpurchase.shutdown-deadline=500ms", "postpurchase.node-id=lc-node");
        ScriptedExecutor slow = app.getBean(ScriptedExecutor.class);
        app.getBean(ActionPipeline.class)
                .submit(TestOrders.paidOrder("lc-deadline").build());
        assertThat(slow.awaitEntered(Duration.ofSeconds(10))).isTrue();

        long started = System.nanoTime();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(app::close);
        closed.get(20, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        context = null;
        slow.release();

        assertThat(took)
                .as("the close waited for the deadline, not for the run")
                .isGreaterThanOrEqualTo(Duration.ofMillis(500))
                .isLessThan(Duration.ofSeconds(15));
        // interrupted at the deadline: no outcome recorded, the run stays RUNNING with this node as its owner
        assertThat(statusOf("lc-deadline")).isEqualTo("RUNNING");
        assertThat(attemptsOf("lc-deadline")).as("claimed once").isOne();
        assertThat(query("SELECT owner_id FROM " + PREFIX + "run WHERE trigger_id = ?", "lc-deadline"))
                .startsWith("lc-node");
    }

    @Test
    void retentionDeletesFinishedOrdersOlderThanTheConfiguredKeepAndKeepsNewerOnes() throws Exception {
        ConfigurableApplicationContext app =
                start("postpurchase.retention.keep=1d", "postpurchase.retention.interval=1h");
        ScriptedExecutor slow = app.getBean(ScriptedExecutor.class);
        ActionPipeline pipeline = app.getBean(ActionPipeline.class);
        ActionStateStore store = app.getBean(ActionStateStore.class);
        slow.release();
        for (String id : List.of("lc-old-1", "lc-old-2", "lc-recent")) {
            pipeline.submit(TestOrders.paidOrder(id).build());
        }
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(List.of("lc-old-1", "lc-old-2", "lc-recent"))
                .allSatisfy(id -> assertThat(statusOf(id)).isEqualTo("SUCCEEDED"));
        // two orders created and finished two days ago, one an hour ago
        age("lc-old-1", "2 days");
        age("lc-old-2", "2 days");
        age("lc-recent", "1 hour");
        PipelineLifecycle lifecycle = app.getBean(PipelineLifecycle.class);
        PostpurchaseProperties properties = app.getBean(PostpurchaseProperties.class);
        assertThat(properties.getRetention().getKeep()).isEqualTo(Duration.ofDays(1));

        int deleted = lifecycle.deleteFinished(properties.getRetention().getKeep());

        assertThat(deleted).as("rows deleted: two triggers and their run each").isEqualTo(4);
        assertThat(store.trigger(TriggerKind.ORDER, "lc-old-1")).isEmpty();
        assertThat(store.trigger(TriggerKind.ORDER, "lc-old-2")).isEmpty();
        assertThat(pipeline.runsOfOrder("lc-old-1")).isEmpty();
        assertThat(pipeline.runsOfOrder("lc-old-2")).isEmpty();
        assertThat(store.trigger(TriggerKind.ORDER, "lc-recent")).isPresent();
        assertThat(pipeline.runsOfOrder("lc-recent")).hasSize(1);
        // nothing left to delete
        assertThat(lifecycle.deleteFinished(properties.getRetention().getKeep()))
                .isZero();
    }

    /** Moves an order's trigger and runs back in time, as if it had been created and finished that long ago. */
    private static void age(String orderId, String interval) throws SQLException {
        execute(
                "UPDATE " + PREFIX + "trigger SET created_at = created_at - interval '" + interval
                        + "' WHERE trigger_id = ?",
                orderId);
        execute(
                "UPDATE " + PREFIX + "run SET created_at = created_at - interval '" + interval
                        + "', updated_at = updated_at - interval '" + interval + "' WHERE trigger_id = ?",
                orderId);
    }

    private static void awaitFrameIn(Thread thread, String className, String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (StackTraceElement frame : thread.getStackTrace()) {
                if (frame.getClassName().equals(className)
                        && frame.getMethodName().equals(method)) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError(thread.getName() + " never reached " + className + "." + method);
    }

    private static String statusOf(String orderId) throws SQLException {
        return query("SELECT status FROM " + PREFIX + "run WHERE trigger_id = ?", orderId);
    }

    private static int attemptsOf(String orderId) throws SQLException {
        return Integer.parseInt(query("SELECT attempts FROM " + PREFIX + "run WHERE trigger_id = ?", orderId));
    }

    /** Reads on a connection of its own: the application context may be closed already. */
    private static String query(String sql, String orderId) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a run of " + orderId).isTrue();
                String value = rs.getString(1);
                assertThat(rs.next()).as("one run of " + orderId).isFalse();
                return value;
            }
        }
    }

    private static void execute(String sql, String orderId) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, orderId);
            assertThat(ps.executeUpdate()).as(sql).isPositive();
        }
    }
}
