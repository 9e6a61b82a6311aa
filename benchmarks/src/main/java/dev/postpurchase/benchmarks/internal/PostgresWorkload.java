package dev.postpurchase.benchmarks.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Workload 2: no-op jobs on PostgreSQL, ours (one and two nodes) against db-scheduler and JobRunr with the same
 * worker count, on the same database, interleaved in every repetition so drift in machine load hits all alike.
 *
 * <p>Each repetition, per contender: reset, preload {@code jobs} due jobs (timed: enqueue rate), start the workers,
 * wait until every job is done as the database sees it. Throughput is jobs / (last done - first start), so start-up
 * and the first poll do not count. The database's committed transactions and row operations during the drain are
 * read from pg_stat_database after the worker pools are closed; CPU of this JVM and of the whole machine is read
 * around the drain. Then a latency phase: single jobs submitted at a steady rate well below capacity, timed from the
 * submit call to the job's start.
 */
public final class PostgresWorkload {
    private PostgresWorkload() {}

    /** Runs the workload and returns its figures. */
    public static Results run(int jobs, int reps, int workers, int latencyJobs, int latencyRate, String only) {
        Results results = new Results("postgres");
        Pg.ensureDatabase();
        try (HikariDataSource admin = Pg.pool("bench-admin", 2)) {
            results.setting("postgres", Pg.version(admin));
            results.setting("jobs", jobs);
            results.setting("workers", workers);
            results.setting("repetitions", reps);
            List<Contender> contenders = Stream.of(
                            new OursContender(admin, 1, workers, false),
                            new OursContender(admin, 2, workers, false),
                            new DbSchedulerContender(admin, workers),
                            new JobRunrContender(admin, workers))
                    .filter(c -> only.isEmpty() || c.name().equals(only))
                    .toList();
            for (Contender c : contenders) {
                results.setting(c.name(), c.describe());
            }
            System.out.println("warm-up (" + Math.min(jobs, 1000) + " jobs each)");
            for (Contender c : contenders) {
                drain(admin, c, Math.min(jobs, 1000), null);
            }
            for (int rep = 1; rep <= reps; rep++) {
                System.out.println("repetition " + rep + " (load " + Machine.loadAverage() + ")");
                for (Contender c : contenders) {
                    drain(admin, c, jobs, results);
                }
            }
            List<Contender> latency = Stream.of(
                            new OursContender(admin, 1, workers, false),
                            new OursContender(admin, 1, workers, true),
                            new DbSchedulerContender(admin, workers),
                            new JobRunrContender(admin, workers))
                    .filter(c -> only.isEmpty() || c.name().equals(only))
                    .toList();
            for (int rep = 1; rep <= reps && latencyJobs > 0; rep++) {
                for (Contender c : latency) {
                    latency(c, rep, latencyJobs, latencyRate, results);
                }
            }
            results.setting(
                    "latency",
                    latencyJobs + " jobs per repetition submitted one at a time at " + latencyRate
                            + " jobs/s through the running node (ours.1node.remote-submit: through a submit-only pipeline"
                            + " with its own pool, woken by NOTIFY)");
        }
        return results;
    }

    private static void drain(HikariDataSource admin, Contender c, int jobs, @Nullable Results results) {
        c.reset();
        long t0 = System.nanoTime();
        c.enqueue(jobs);
        long t1 = System.nanoTime();
        Pg.awaitGone(admin, "pp-submit");
        Pg.awaitGone(admin, "dbs-submit");
        Pg.awaitGone(admin, "jobrunr-submit");
        Pg.Activity before = Pg.activity(admin);
        DrainClock clock = new DrainClock();
        Profiling profiling = results == null ? Profiling.none() : Profiling.start();
        if (results != null && Profiling.enabled() && c instanceof OursContender ours) {
            ours.countStoreCalls();
        }
        CpuMeter.Reading cpu0 = CpuMeter.read();
        long started = System.nanoTime();
        c.start(clock);
        boolean done = c.awaitDone(jobs, clock, Duration.ofMinutes(5));
        CpuMeter.Reading cpu1 = CpuMeter.read();
        profiling.stop(c.name(), c instanceof OursContender ours ? ours.storeCallReport(jobs) : "");
        c.stop();
        if (!done) {
            throw new IllegalStateException(
                    c.name() + " did not finish " + jobs + " jobs in 5 minutes (" + clock.startedCount() + " started)");
        }
        for (String name : c.workerPoolNames()) {
            Pg.awaitGone(admin, name);
        }
        Pg.Activity drain = Pg.activity(admin).minus(before);
        if (results == null) {
            return;
        }
        double seconds = (clock.lastDoneNanos() - clock.firstStartNanos()) / 1e9;
        String p = c.name() + ".";
        results.add(p + "throughput", "jobs/s", jobs / seconds);
        results.add(p + "enqueue", "jobs/s", jobs / ((t1 - t0) / 1e9));
        results.add(p + "firstStart", "ms", (clock.firstStartNanos() - started) / 1e6);
        results.add(p + "commitsPerJob", "commits", drain.commits() / (double) jobs);
        results.add(
                p + "rowOpsPerJob",
                "rows",
                (drain.rowsFetched() + drain.rowsInserted() + drain.rowsUpdated() + drain.rowsDeleted())
                        / (double) jobs);
        results.add(p + "jvmCpuPerJob", "us", CpuMeter.jvmMillis(cpu0, cpu1) * 1000 / jobs);
        results.add(
                p + "otherCpuPerJob",
                "us",
                (CpuMeter.machineMillis(cpu0, cpu1) - CpuMeter.jvmMillis(cpu0, cpu1)) * 1000 / jobs);
    }

    private static void latency(Contender c, int rep, int jobs, int ratePerSecond, Results results) {
        c.reset();
        StartProbe probe = new StartProbe(jobs);
        c.startForLatency(probe);
        Pg.sleep(1000); // let the node settle (first poll, listener connected)
        Paced.run(jobs, ratePerSecond, i -> {
            String key = "lat" + rep + "-" + i;
            probe.submitting(key);
            c.submitOne(key);
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (probe.count() < jobs && System.nanoTime() < deadline) {
            Pg.sleep(5);
        }
        c.stop();
        String p = c.name() + ".latency.";
        if (probe.count() < jobs) {
            results.note(c.name() + ": only " + probe.count() + " of " + jobs + " latency jobs started within 30 s");
        }
        results.add(p + "p50", "ms", probe.percentileMillis(50));
        results.add(p + "p99", "ms", probe.percentileMillis(99));
    }
}
