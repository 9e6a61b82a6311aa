package dev.postpurchase.benchmarks.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.RunPage;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDialect;
import dev.postpurchase.testing.TestCodecs;
import dev.postpurchase.testing.TestDefinitions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Workload 6: the staff page's queries on PostgreSQL with a history. The run table holds {@code size} finished runs,
 * one in {@code failEvery} FAILED (1M and 100 give the 10k failed), plus 1 % waiting for a retry, filled as
 * the backlog workload does. Each query is timed {@code samples} times after a warm-up: the first page of failed
 * runs (50, newest first), a page 20 pages deep (through the keyset cursor), the first page of runs waiting for a
 * retry, the failed runs of one action type, one order's runs, an order with the events about it, and the counts by
 * status. Reported as p50 and p99 in milliseconds.
 */
public final class StaffQueryWorkload {
    private StaffQueryWorkload() {}

    public static Results run(int size, int failEvery, int samples) {
        Results results = new Results("staff");
        results.setting("finishedRuns", size);
        results.setting("failedRuns", size / failEvery);
        results.setting("awaitingRetry", Math.max(1, size / 100));
        results.setting("samplesPerQuery", samples);
        Pg.ensureDatabase();
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        definitions.save(
                TestDefinitions.definition("d-checkout", NoOpExecutor.TYPE, ActionLevel.CHECKOUT, "checkout-1"));
        try (HikariDataSource admin = Pg.pool("bench-admin", 2);
                HikariDataSource ds = Pg.pool("pp-staff", 4)) {
            JdbcActionStateStore store = JdbcActionStateStore.builder()
                    .dataSource(ds)
                    .secretCodec(TestCodecs.aesGcm())
                    .dialect(JdbcDialect.POSTGRESQL)
                    .tablePrefix(OursContender.PREFIX)
                    .build();
            OursContender.recreateSchema(admin);
            long t0 = System.nanoTime();
            BacklogWorkload.fill(admin, store, definitions, size, failEvery);
            results.add("fillSeconds", "s", (System.nanoTime() - t0) / 1e9);

            RunQuery failed =
                    RunQuery.builder().status(RunQuery.Status.FAILED).limit(50).build();
            String deepCursor = cursorAfterPages(store, failed, 20);
            time(results, "failedFirstPage", samples, () -> store.findRuns(failed));
            time(results, "failedPage20", samples, () -> store.findRuns(failed.after(deepCursor)));
            time(
                    results,
                    "awaitingRetryFirstPage",
                    samples,
                    () -> store.findRuns(RunQuery.builder()
                            .status(RunQuery.Status.AWAITING_RETRY)
                            .limit(50)
                            .build()));
            time(
                    results,
                    "failedOfOneType",
                    samples,
                    () -> store.findRuns(RunQuery.builder()
                            .status(RunQuery.Status.FAILED)
                            .type(NoOpExecutor.TYPE)
                            .limit(50)
                            .build()));
            time(
                    results,
                    "runsOfOneOrder",
                    samples,
                    () -> store.findRuns(RunQuery.builder()
                            .order(randomOrder(size))
                            .limit(50)
                            .build()));
            time(results, "runsAboutAnOrder", samples, () -> store.runsAbout(randomOrder(size)));
            time(
                    results,
                    "countsByStatus",
                    Math.max(10, samples / 10),
                    () -> store.countRuns(Duration.ofMinutes(5), Instant.now()));
            Pg.execute(admin, "TRUNCATE " + OursContender.PREFIX + "run, " + OursContender.PREFIX + "trigger");
        }
        return results;
    }

    private static String randomOrder(int size) {
        return "h" + (1 + ThreadLocalRandom.current().nextInt(size));
    }

    private static String cursorAfterPages(JdbcActionStateStore store, RunQuery query, int pages) {
        RunQuery q = query;
        String cursor = null;
        for (int i = 0; i < pages; i++) {
            RunPage page = store.findRuns(q);
            if (page.next() == null) {
                break;
            }
            cursor = page.next();
            q = query.after(cursor);
        }
        return cursor;
    }

    private static void time(Results results, String name, int samples, Supplier<?> query) {
        int sink = 0; // keeps the answers alive, so nothing is optimised away
        for (int i = 0; i < Math.max(20, samples / 10); i++) {
            sink += query.get().hashCode();
        }
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            sink += query.get().hashCode();
            nanos[i] = System.nanoTime() - t0;
        }
        results.setting(name + ".answerHash", sink);
        results.add(name + ".p50", "ms", Stats.percentile(nanos, 50) / 1e6);
        results.add(name + ".p99", "ms", Stats.percentile(nanos, 99) / 1e6);
        System.out.printf(
                "%-24s p50 %.2f ms  p99 %.2f ms%n",
                name, Stats.percentile(nanos, 50) / 1e6, Stats.percentile(nanos, 99) / 1e6);
    }
}
