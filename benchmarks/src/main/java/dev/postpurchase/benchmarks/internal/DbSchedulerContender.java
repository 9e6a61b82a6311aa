package dev.postpurchase.benchmarks.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * db-scheduler 15 with its high-throughput settings: lock-and-fetch polling ({@code FOR UPDATE SKIP LOCKED} in one
 * UPDATE ... RETURNING, refetching when fewer than half the threads are busy, up to one batch of {@code threads}),
 * {@code threads} = our worker count, immediate execution for jobs scheduled through the running scheduler, and a 1 s
 * polling interval (the default is 10 s). One one-time task instance per job; a job is done when db-scheduler has
 * deleted its row. Jobs are added with {@code scheduleIfNotExists} (idempotent, like our submit; plain
 * {@code schedule} is deprecated in 15).
 */
public final class DbSchedulerContender implements Contender {
    private static final String TABLE = "scheduled_tasks";

    private final DataSource admin;
    private final int threads;
    private volatile @Nullable DrainClock clock;
    private volatile @Nullable StartProbe probe;
    private final OneTimeTask<Void> task;
    private @Nullable Scheduler scheduler;
    private @Nullable HikariDataSource pool;
    private int batch;

    public DbSchedulerContender(DataSource admin, int threads) {
        this.admin = admin;
        this.threads = threads;
        this.task = Tasks.oneTime("noop").execute((instance, context) -> {
            DrainClock c = clock;
            if (c != null) {
                c.started();
            }
            StartProbe p = probe;
            if (p != null) {
                p.started(instance.getId());
            }
        });
    }

    @Override
    public String name() {
        return "dbscheduler";
    }

    @Override
    public String describe() {
        return "db-scheduler 15.1.1, threads " + threads + ", pollUsingLockAndFetch(0.5, 1.0), pollingInterval 1 s,"
                + " enableImmediateExecution, pool of " + (threads + 3);
    }

    @Override
    public void reset() {
        // the PostgreSQL table definition from db-scheduler's documentation (v15 columns, with priority)
        Pg.execute(
                admin,
                "CREATE TABLE IF NOT EXISTS " + TABLE + " (task_name TEXT NOT NULL, task_instance TEXT NOT NULL,"
                        + " task_data BYTEA, execution_time TIMESTAMP WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL,"
                        + " picked_by TEXT, last_success TIMESTAMP WITH TIME ZONE,"
                        + " last_failure TIMESTAMP WITH TIME ZONE, consecutive_failures INT,"
                        + " last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL, priority SMALLINT,"
                        + " PRIMARY KEY (task_name, task_instance))",
                "CREATE INDEX IF NOT EXISTS execution_time_idx ON " + TABLE + " (execution_time)",
                "CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON " + TABLE + " (last_heartbeat)",
                "CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON " + TABLE
                        + " (priority DESC, execution_time ASC)",
                "TRUNCATE " + TABLE);
        batch++;
    }

    @Override
    public void enqueue(int jobs) {
        int submitters = 4;
        try (HikariDataSource ds = Pg.pool("dbs-submit", submitters)) {
            SchedulerClient client = SchedulerClient.Builder.create(ds, task).build();
            Instant now = Instant.now();
            ExecutorService executor = Executors.newFixedThreadPool(submitters);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < submitters; t++) {
                int first = t;
                futures.add(executor.submit(() -> {
                    for (int i = first; i < jobs; i += submitters) {
                        client.scheduleIfNotExists(SchedulableInstance.of(task.instance("b" + batch + "-" + i), now));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            executor.shutdown();
        } catch (Exception e) {
            throw new IllegalStateException("enqueue failed", e);
        }
    }

    private Scheduler build(HikariDataSource ds) {
        return Scheduler.create(ds, task)
                .threads(threads)
                .pollUsingLockAndFetch(0.5, 1.0)
                .pollingInterval(Duration.ofSeconds(1))
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
    }

    @Override
    public void start(DrainClock value) {
        this.clock = value;
        HikariDataSource ds = Pg.pool("dbs-node", threads + 3);
        pool = ds;
        Scheduler s = build(ds);
        scheduler = s;
        s.start();
    }

    @Override
    public boolean awaitDone(int jobs, DrainClock c, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (c.startedCount() < jobs) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Pg.sleep(2);
        }
        while (Pg.queryLong(admin, "SELECT count(*) FROM " + TABLE) > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Pg.sleep(2);
        }
        c.doneAt(System.nanoTime());
        return true;
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.stop();
            scheduler = null;
        }
        if (pool != null) {
            pool.close();
            pool = null;
        }
        clock = null;
        probe = null;
    }

    @Override
    public List<String> workerPoolNames() {
        return List.of("dbs-node");
    }

    @Override
    public void startForLatency(StartProbe value) {
        this.probe = value;
        HikariDataSource ds = Pg.pool("dbs-node", threads + 3);
        pool = ds;
        Scheduler s = build(ds);
        scheduler = s;
        s.start();
        batch++;
    }

    @Override
    public void submitOne(String key) {
        Scheduler s = scheduler;
        if (s == null) {
            throw new IllegalStateException("not started");
        }
        s.scheduleIfNotExists(SchedulableInstance.of(task.instance(key), Instant.now()));
    }
}
