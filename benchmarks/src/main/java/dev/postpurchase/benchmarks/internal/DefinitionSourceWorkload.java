package dev.postpurchase.benchmarks.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.spi.DefinitionSource;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDefinitionSource;
import dev.postpurchase.jdbc.JdbcDialect;
import dev.postpurchase.jdbc.JdbcSchema;
import dev.postpurchase.testing.TestCodecs;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Workload 5: submitting paid orders on PostgreSQL with the definitions read from {@code InMemoryDefinitionSource}
 * and from {@code JdbcDefinitionSource} (AES-GCM, default 1 s refresh, NOTIFY on), interleaved in every repetition.
 * Each order (checkout-1, offer-1, product-1 and product-2) finds one definition on its checkout, one on its offer
 * and one on a product, among {@code background} other product definitions; submit-only pipelines on one pool write
 * the three runs per order to the run tables. The figure is orders per second from {@code threads} submitting
 * threads, and the ratio JDBC / in-memory per repetition: the cost of reading the configuration from the database,
 * which the cache should hide.
 */
public final class DefinitionSourceWorkload {
    static final String PREFIX = "benchdef_";

    private DefinitionSourceWorkload() {}

    /** Runs the workload and returns its figures. */
    public static Results run(int orders, int reps, int threads, int background) {
        Results results = new Results("definitions");
        Pg.ensureDatabase();
        try (HikariDataSource admin = Pg.pool("benchdef-admin", 2)) {
            recreateSchema(admin);
            results.setting("postgres", Pg.version(admin));
            results.setting("orders", orders);
            results.setting("threads", threads);
            results.setting("repetitions", reps);
            results.setting("definitions", "3 per order (checkout, offer, product) among " + background + " others");
            ActionExecutors executors = ActionExecutors.of(List.of(new NoOpExecutor()));
            List<ActionDefinition> definitions = definitions(background);
            InMemoryDefinitionSource inMemory = new InMemoryDefinitionSource(executors);
            definitions.forEach(inMemory::createDefinition);
            try (HikariDataSource pool = Pg.pool("benchdef-node", threads + 3);
                    JdbcDefinitionSource jdbc = JdbcDefinitionSource.builder()
                            .dataSource(pool)
                            .dialect(JdbcDialect.POSTGRESQL)
                            .tablePrefix(PREFIX)
                            .executors(executors)
                            .secretCodec(AesGcmSecretCodec.builder()
                                    .currentKey("bench", AesGcmSecretCodec.generateKey())
                                    .build())
                            .build()) {
                definitions.forEach(jdbc::createDefinition);
                Map<String, DefinitionSource> sources = Map.of("inmemory", inMemory, "jdbc", jdbc);
                System.out.println("warm-up (" + Math.min(orders, 1000) + " orders each)");
                for (String name : List.of("inmemory", "jdbc")) {
                    submit(admin, pool, sources.get(name), "w-" + name, Math.min(orders, 1000), threads);
                }
                for (int rep = 1; rep <= reps; rep++) {
                    System.out.println("repetition " + rep + " (load " + Machine.loadAverage() + ")");
                    double inMemoryRate = submit(admin, pool, inMemory, "m" + rep, orders, threads);
                    double jdbcRate = submit(admin, pool, jdbc, "j" + rep, orders, threads);
                    results.add("inmemory.submit", "orders/s", inMemoryRate);
                    results.add("jdbc.submit", "orders/s", jdbcRate);
                    results.add("jdbc / inmemory submit rate", "ratio", jdbcRate / inMemoryRate);
                }
            }
        }
        return results;
    }

    /** Submits {@code orders} orders on empty run tables; returns orders per second. */
    private static double submit(
            HikariDataSource admin,
            HikariDataSource pool,
            DefinitionSource source,
            String batch,
            int orders,
            int threads) {
        Pg.execute(admin, "DELETE FROM " + PREFIX + "run", "DELETE FROM " + PREFIX + "trigger");
        JdbcActionStateStore store = JdbcActionStateStore.builder()
                .dataSource(pool)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(JdbcDialect.POSTGRESQL)
                .tablePrefix(PREFIX)
                .build();
        try (ActionPipeline pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(source)
                .executor(new NoOpExecutor())
                .startWorkers(false)
                .build()) {
            long t0 = System.nanoTime();
            Submitters.submitAll(pipeline, orders, threads, i -> TestOrders.paidOrder(batch + "-" + i)
                    .build());
            double seconds = (System.nanoTime() - t0) / 1e9;
            long runs = Pg.queryLong(admin, "SELECT count(*) FROM " + PREFIX + "run");
            if (runs != 3L * orders) {
                throw new IllegalStateException("expected " + 3L * orders + " runs, found " + runs);
            }
            return orders / seconds;
        } finally {
            store.close();
        }
    }

    private static List<ActionDefinition> definitions(int background) {
        List<ActionDefinition> all = new ArrayList<>();
        all.add(TestDefinitions.definition("d-checkout", NoOpExecutor.TYPE, ActionLevel.CHECKOUT, "checkout-1"));
        all.add(TestDefinitions.definition("d-offer", NoOpExecutor.TYPE, ActionLevel.OFFER, "offer-1"));
        all.add(TestDefinitions.definition("d-product", NoOpExecutor.TYPE, ActionLevel.PRODUCT, "product-1"));
        for (int i = 0; i < background; i++) {
            all.add(TestDefinitions.definition(
                    "d-other-" + i, NoOpExecutor.TYPE, ActionLevel.PRODUCT, "other-product-" + i));
        }
        return all;
    }

    /** Drops the workload's tables and migrates them afresh, on the schema of the code under test. */
    private static void recreateSchema(HikariDataSource admin) {
        for (String statement : JdbcSchema.dropStatements(JdbcDialect.POSTGRESQL, PREFIX)) {
            Pg.execute(admin, statement);
        }
        JdbcActionStateStore.builder()
                .dataSource(admin)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(JdbcDialect.POSTGRESQL)
                .tablePrefix(PREFIX)
                .build()
                .migrate();
    }
}
