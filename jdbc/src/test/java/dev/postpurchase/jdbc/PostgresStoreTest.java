package dev.postpurchase.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ClaimRequest;
import dev.postpurchase.core.spi.RecordedOutcomes;
import dev.postpurchase.core.spi.Requeue;
import dev.postpurchase.testing.TestCodecs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared store tests on PostgreSQL, plus LISTEN/NOTIFY. */
class PostgresStoreTest extends AbstractJdbcStoreTest {
    @Override
    JdbcDialect dialect() {
        return JdbcDialect.POSTGRESQL;
    }

    @Override
    String unreachableUrl() {
        return "jdbc:postgresql://127.0.0.1:1/test";
    }

    @Override
    void bindTime(PreparedStatement ps, int index, Instant value) throws SQLException {
        ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    @Override
    String failedRunsIndex() {
        return "run_failed_idx";
    }

    @Override
    void analyze() throws SQLException {
        execute("ANALYZE " + db.prefix + "run");
    }

    @Test
    @SuppressWarnings("try") // the listener only has to stay open
    void creatingRunsWakesTheListenerOfAnotherNodeAtOnce() throws Exception {
        Semaphore wakeUps = new Semaphore(0);
        try (HikariDataSource otherPool = db.separatePool("listener", 2);
                JdbcActionStateStore other = db.storeOn(otherPool);
                AutoCloseable listening = other.onWorkAdded(wakeUps::release)) {
            awaitListeners(1);

            store.create(trigger("notify-1"), List.of(run("notify-1", "def-1", T0)));

            assertThat(wakeUps.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @SuppressWarnings("try") // the listener only has to stay open
    void aReRunThatMakesARunDueWakesListenersOfOtherStores() throws Exception {
        ActionRun failed = finish(run("notify-2", "def-1", T0));
        Semaphore wakeUps = new Semaphore(0);
        try (HikariDataSource otherPool = db.separatePool("listener", 2);
                JdbcActionStateStore other = db.storeOn(otherPool);
                AutoCloseable listening = other.onWorkAdded(wakeUps::release)) {
            awaitListeners(1);
            wakeUps.drainPermits();

            assertThat(store.requeue(new Requeue(failed, null, false), T0)).isPresent();

            assertThat(wakeUps.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            assertThat(store.requeue(new Requeue(failed, null, false), T0))
                    .as("a refused change notifies nobody")
                    .isEmpty();
            assertThat(wakeUps.tryAcquire(200, TimeUnit.MILLISECONDS)).isFalse();
        }
    }

    @Test
    @SuppressWarnings("try") // the listener only has to stay open
    void aStoreIgnoresItsOwnNotificationsWhileOtherStoresHearThem() throws Exception {
        Semaphore own = new Semaphore(0);
        Semaphore others = new Semaphore(0);
        try (HikariDataSource otherPool = db.separatePool("listener", 2);
                JdbcActionStateStore other = db.storeOn(otherPool);
                AutoCloseable ownListening = store.onWorkAdded(own::release);
                AutoCloseable otherListening = other.onWorkAdded(others::release)) {
            awaitListeners(2);

            store.create(trigger("notify-own"), List.of(run("notify-own", "def-1", T0)));

            assertThat(others.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            assertThat(own.tryAcquire(300, TimeUnit.MILLISECONDS))
                    .as("the writing store's pipeline wakes itself")
                    .isFalse();
        }
    }

    @Test
    @SuppressWarnings("try") // the listener only has to stay open
    void aNotificationFromTheCallersTransactionIsSentOnlyWhenItCommits() throws Exception {
        Semaphore wakeUps = new Semaphore(0);
        try (HikariDataSource otherPool = db.separatePool("listener", 2);
                JdbcActionStateStore other = db.storeOn(otherPool);
                AutoCloseable listening = other.onWorkAdded(wakeUps::release);
                Connection c = db.dataSource.getConnection()) {
            awaitListeners(1);
            c.setAutoCommit(false);
            store.createInTransaction(c, trigger("notify-3"), List.of(run("notify-3", "def-1", T0)));

            assertThat(wakeUps.tryAcquire(200, TimeUnit.MILLISECONDS)).isFalse();
            c.commit();
            assertThat(wakeUps.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @SuppressWarnings("try") // the listener only has to stay open
    void runsWrittenInTheCallersTransactionWakeTheWritingStoreItselfWhenTheCallerCommits() throws Exception {
        Semaphore own = new Semaphore(0);
        try (AutoCloseable listening = store.onWorkAdded(own::release);
                Connection c = db.dataSource.getConnection()) {
            awaitListeners(1);
            c.setAutoCommit(false);
            store.joinTransaction(
                    c, () -> store.create(trigger("notify-joined"), List.of(run("notify-joined", "def-1", T0))));
            store.createInTransaction(c, trigger("notify-outbox"), List.of(run("notify-outbox", "def-1", T0)));

            assertThat(own.tryAcquire(200, TimeUnit.MILLISECONDS)).isFalse();
            c.commit();
            // only the database sees that commit: its notification, not a direct wake-up, tells this node's pipeline
            assertThat(own.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @SuppressWarnings("try") // the listener only has to stay open
    void theListenerReconnectsWhenItsConnectionIsKilledAndWakesOnceForWhatItMissed() throws Exception {
        Semaphore wakeUps = new Semaphore(0);
        JdbcActionStateStore listener = JdbcActionStateStore.builder()
                .dataSource(db.dataSource)
                .secretCodec(TestCodecs.aesGcm())
                .tablePrefix(db.prefix)
                .listenPollTimeout(java.time.Duration.ofMillis(100))
                .build();
        try (AutoCloseable listening = listener.onWorkAdded(wakeUps::release)) {
            List<Integer> before = awaitListeners(1);
            execute("SELECT pg_terminate_backend(" + before.get(0) + ")");

            assertThat(wakeUps.tryAcquire(10, TimeUnit.SECONDS))
                    .as("woken after reconnecting")
                    .isTrue();
            List<Integer> after = awaitListeners(1);
            assertThat(after).doesNotContainAnyElementsOf(before);
            store.create(trigger("notify-4"), List.of(run("notify-4", "def-1", T0)));
            assertThat(wakeUps.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            listener.close();
        }
        assertThat(awaitListeners(0)).as("closing stops listening").isEmpty();
    }

    @Test
    void anOutcomeIsRecordedEvenWhenItsRunMovedSinceTheClaim() throws Exception {
        store.create(trigger("moved"), List.of(run("moved", "def-1", T0)));
        ActionRun claimed =
                store.claim(ClaimRequest.due("n", 1, Set.of("counted"), T0)).get(0);
        // a write the store did not see rewrites the row, so the address the claim returned is stale
        execute("UPDATE " + db.prefix + "run SET last_error = 'touched' WHERE id = '" + claimed.id() + "'");

        RecordedOutcomes outcome = store.recordOutcomes(List.of(AttemptResult.succeeded(claimed, "ok", null)), T0);

        assertThat(outcome.states()).containsOnlyKeys(claimed.id());
        assertThat(outcome.completed()).extracting(c -> c.key()).containsExactly("order:moved");
        assertThat(store.run(claimed.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(store.recordOutcomes(List.of(AttemptResult.succeeded(claimed, "again", null)), T0)
                        .states())
                .as("recorded once")
                .isEmpty();
    }

    @Test
    void theHotPathFunctionsPlanOncePerSessionWithTheirPlannerChoicesPinned() throws Exception {
        List<String> settings = new ArrayList<>();
        try (Connection c = db.dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT proname, array_to_string(proconfig, ',') FROM pg_proc"
                        + " WHERE proname IN (?, ?, ?) AND pronamespace = current_schema()::regnamespace"
                        + " ORDER BY proname")) {
            ps.setString(1, db.prefix + "claim_due");
            ps.setString(2, db.prefix + "claim_stale");
            ps.setString(3, db.prefix + "record_outcomes");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    settings.add(rs.getString(1).substring(db.prefix.length()) + ": " + rs.getString(2));
                }
            }
        }

        assertThat(settings).hasSize(3).allSatisfy(s -> assertThat(s)
                .contains("plan_cache_mode=force_generic_plan")
                .contains("enable_seqscan=off")
                .contains("enable_bitmapscan=off"));
        assertThat(settings)
                .extracting(s -> s.substring(0, s.indexOf(':')))
                .containsExactly("claim_due", "claim_stale", "record_outcomes");
    }

    @Test
    void closingTheStoreStopsItsListeners() throws Exception {
        JdbcActionStateStore listener = db.newStore();
        listener.onWorkAdded(() -> {});
        listener.onWorkAdded(() -> {});
        awaitListeners(2);

        listener.close();

        assertThat(awaitListeners(0)).isEmpty();
        assertThat(store.claim(ClaimRequest.due("n", 1, Set.of("counted"), T0))).isEmpty();
    }

    /** Waits until exactly {@code count} sessions listen on this prefix's channel; returns their backend pids. */
    private List<Integer> awaitListeners(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Integer> pids;
        do {
            pids = new ArrayList<>();
            try (Connection c = db.dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "SELECT pid FROM pg_stat_activity WHERE query = ? AND datname = current_database()")) {
                ps.setString(1, "LISTEN " + db.prefix + "work");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pids.add(rs.getInt(1));
                    }
                }
            }
            if (pids.size() == count) {
                return pids;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + count + " listening sessions, found " + pids);
    }
}
