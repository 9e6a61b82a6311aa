package dev.postpurchase.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code postpurchase.*} properties of the starter. Only {@code postpurchase.secret-key} is needed (unless the
 * application declares its own {@code SecretCodec} bean); everything else has the SDK's defaults.
 *
 * <pre>
 * postpurchase.secret-key=base64 of 32 random bytes (openssl rand -base64 32), from your secret manager
 * postpurchase.workers=4
 * postpurchase.poll-interval=1s
 * postpurchase.lease-duration=60s
 * postpurchase.retention.keep=90d
 * postpurchase.jdbc.migrate=true
 * </pre>
 */
/*
 * The field comments are plain text (no Javadoc tags): spring-boot-configuration-processor copies them into
 * META-INF/spring-configuration-metadata.json as the descriptions an IDE shows for postpurchase.* (with the fields'
 * initial values as defaults).
 */
@ConfigurationProperties("postpurchase")
public class PostpurchaseProperties {
    /** Whether the starter configures anything at all. */
    private boolean enabled = true;

    /**
     * The AES-256 key (Base64 of 32 bytes) that seals run snapshots, definitions and integration settings at rest;
     * required unless the application declares a SecretCodec bean. Never commit it: take it from the
     * environment or a secret manager.
     */
    private @Nullable String secretKey;

    /** The id stored with every value sealed by the secret key; change it when the key rotates. */
    private String secretKeyId = "default";

    /** Keys that are no longer current but still decrypt older values, by key id (Base64 of 32 bytes each). */
    private Map<String, String> previousSecretKeys = new LinkedHashMap<>();

    /** Runs executed at once on this node. */
    private int workers = 4;

    /** The most runs claimed per store round trip; 0 for the SDK's default. */
    private int claimBatch = 0;

    /** How often the store is polled when nothing wakes the workers. */
    private Duration pollInterval = Duration.ofSeconds(1);

    /** How long a RUNNING run's lease lasts without a heartbeat. */
    private Duration leaseDuration = Duration.ofSeconds(60);

    /** How long the application's shutdown waits for in-flight runs. */
    private Duration shutdownDeadline = Duration.ofSeconds(30);

    /** This node's name in run owners; default a random one. */
    private @Nullable String nodeId;

    /** False for a node that only submits (a web front) and never executes runs. */
    private boolean startWorkers = true;

    private final Jdbc jdbc = new Jdbc();
    private final Retention retention = new Retention();
    private final Metrics metrics = new Metrics();

    /** {@code postpurchase.jdbc.*}: the tables in the application's database. */
    public static class Jdbc {
        /** The prefix of every table of the store, the definitions and the settings. */
        private String tablePrefix = "pp_";

        /**
         * Whether the tables are created or upgraded on start; switch off when Flyway or Liquibase applies the SQL
         * scripts (JdbcSchema); the pipeline then refuses to start on missing or older tables.
         */
        private boolean migrate = true;

        /** Whether PostgreSQL's LISTEN/NOTIFY wakes this node when others add work (one pool connection each). */
        private boolean listen = true;

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public boolean isMigrate() {
            return migrate;
        }

        public void setMigrate(boolean migrate) {
            this.migrate = migrate;
        }

        public boolean isListen() {
            return listen;
        }

        public void setListen(boolean listen) {
            this.listen = listen;
        }
    }

    /** {@code postpurchase.retention.*}: deleting finished orders with all their runs. */
    public static class Retention {
        /** How long finished triggers are kept; unset keeps everything. */
        private @Nullable Duration keep;

        /** How often the deletion runs. */
        private Duration interval = Duration.ofHours(1);

        /** Triggers deleted per transaction. */
        private int batchSize = 500;

        public @Nullable Duration getKeep() {
            return keep;
        }

        public void setKeep(@Nullable Duration keep) {
            this.keep = keep;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }
    }

    /** {@code postpurchase.metrics.*}: the Micrometer meters, when Micrometer is present. */
    public static class Metrics {
        /** Whether the meters are registered. */
        private boolean enabled = true;

        /** How often the runs-by-status gauges count (one query across all nodes' runs). */
        private Duration runCountsRefresh = Duration.ofSeconds(30);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getRunCountsRefresh() {
            return runCountsRefresh;
        }

        public void setRunCountsRefresh(Duration runCountsRefresh) {
            this.runCountsRefresh = runCountsRefresh;
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(@Nullable String secretKey) {
        this.secretKey = secretKey;
    }

    public String getSecretKeyId() {
        return secretKeyId;
    }

    public void setSecretKeyId(String secretKeyId) {
        this.secretKeyId = secretKeyId;
    }

    public Map<String, String> getPreviousSecretKeys() {
        return previousSecretKeys;
    }

    public void setPreviousSecretKeys(Map<String, String> previousSecretKeys) {
        this.previousSecretKeys = previousSecretKeys;
    }

    public int getWorkers() {
        return workers;
    }

    public void setWorkers(int workers) {
        this.workers = workers;
    }

    public int getClaimBatch() {
        return claimBatch;
    }

    public void setClaimBatch(int claimBatch) {
        this.claimBatch = claimBatch;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    public Duration getShutdownDeadline() {
        return shutdownDeadline;
    }

    public void setShutdownDeadline(Duration shutdownDeadline) {
        this.shutdownDeadline = shutdownDeadline;
    }

    public @Nullable String getNodeId() {
        return nodeId;
    }

    public void setNodeId(@Nullable String nodeId) {
        this.nodeId = nodeId;
    }

    public boolean isStartWorkers() {
        return startWorkers;
    }

    public void setStartWorkers(boolean startWorkers) {
        this.startWorkers = startWorkers;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Retention getRetention() {
        return retention;
    }

    public Metrics getMetrics() {
        return metrics;
    }
}
