package dev.postpurchase.benchmarks.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.jspecify.annotations.Nullable;

/**
 * JobRunr 7 (open-source edition) on its SQL storage in the same database: a BackgroundJobServer with {@code workers}
 * workers and the smallest poll interval its SQL storage accepts (5 s; the default is 15 s). Jobs are enqueued with
 * its bulk API (a stream, saved in batches). A job is done when its row is in state SUCCEEDED.
 */
public final class JobRunrContender implements Contender {
    private final DataSource admin;
    private final int workers;
    private final JacksonJsonMapper jsonMapper = new JacksonJsonMapper();
    private @Nullable BackgroundJobServer server;
    private @Nullable HikariDataSource pool;
    private @Nullable JobScheduler scheduler;
    private int batch;

    public JobRunrContender(DataSource admin, int workers) {
        this.admin = admin;
        this.workers = workers;
    }

    @Override
    public String name() {
        return "jobrunr";
    }

    @Override
    public String describe() {
        return "JobRunr 7.3.2 OSS, SQL storage (PostgresStorageProvider), workers " + workers
                + ", pollInterval 5 s (the smallest allowed for SQL), bulk enqueue, pool of " + (workers + 3);
    }

    private StorageProvider storage(DataSource ds) {
        StorageProvider provider = SqlStorageProviderFactory.using(ds);
        provider.setJobMapper(new JobMapper(jsonMapper));
        return provider;
    }

    @Override
    public void reset() {
        if (!Pg.tableExists(admin, "jobrunr_jobs")) {
            try (HikariDataSource ds = Pg.pool("jobrunr-migrate", 2)) {
                storage(ds).close();
            }
        }
        Pg.execute(admin, "TRUNCATE jobrunr_jobs", "DELETE FROM jobrunr_backgroundjobservers");
        batch++;
    }

    @Override
    public void enqueue(int jobs) {
        try (HikariDataSource ds = Pg.pool("jobrunr-submit", 4)) {
            StorageProvider provider = storage(ds);
            JobScheduler s = new JobScheduler(provider);
            String prefix = "b" + batch + "-";
            s.enqueue(IntStream.range(0, jobs).mapToObj(i -> prefix + i), key -> JobRunrJobs.noop(key));
            provider.close();
        }
    }

    private BackgroundJobServer startServer() {
        HikariDataSource ds = Pg.pool("jobrunr-node", workers + 3);
        pool = ds;
        StorageProvider provider = storage(ds);
        BackgroundJobServer s = new BackgroundJobServer(
                provider,
                jsonMapper,
                null,
                BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andWorkerCount(workers)
                        .andPollInterval(Duration.ofSeconds(5)));
        s.start();
        server = s;
        scheduler = new JobScheduler(provider);
        return s;
    }

    @Override
    public void start(DrainClock clock) {
        JobRunrJobs.clock = clock;
        startServer();
    }

    @Override
    public boolean awaitDone(int jobs, DrainClock clock, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (clock.startedCount() < jobs) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Pg.sleep(2);
        }
        while (Pg.queryLong(admin, "SELECT count(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'") < jobs) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Pg.sleep(2);
        }
        clock.doneAt(System.nanoTime());
        return true;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
        scheduler = null;
        if (pool != null) {
            pool.close();
            pool = null;
        }
        JobRunrJobs.clock = null;
        JobRunrJobs.probe = null;
    }

    @Override
    public List<String> workerPoolNames() {
        return List.of("jobrunr-node");
    }

    @Override
    public void startForLatency(StartProbe probe) {
        JobRunrJobs.probe = probe;
        startServer();
        batch++;
    }

    @Override
    public void submitOne(String key) {
        JobScheduler s = scheduler;
        if (s == null) {
            throw new IllegalStateException("not started");
        }
        s.enqueue(() -> JobRunrJobs.noop(key));
    }
}
