package dev.postpurchase.benchmarks.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.http.HttpRequestSpec;
import dev.postpurchase.http.HttpResult;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDialect;
import dev.postpurchase.testing.TestCodecs;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.OrderWebhookPayload;
import dev.postpurchase.webhook.StandardWebhookSigner;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.WebhookSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Workload 3: signed order webhooks to a fast local receiver, {@code concurrency} at a time, four ways:
 *
 * <ul>
 *   <li>{@code plainOkHttp}: threads that build the same versioned payload, sign it the same way (Standard Webhooks,
 *       HMAC-SHA256) and POST it with a plain OkHttp client: the hand-written baseline.
 *   <li>{@code guardedClient}: the same through our guarded HTTP client (SSRF checks, bounded reads).
 *   <li>{@code pipeline.memory} and {@code pipeline.postgres}: orders submitted to a pipeline whose webhook action
 *       does all of it, with run bookkeeping in the in-memory or the PostgreSQL store.
 * </ul>
 *
 * Orders are built before the clock starts. The direct variants time from their threads' start to the last
 * response. The pipelines are measured as a drain: the orders are first submitted through a submit-only pipeline on
 * the same store, then a pipeline with {@code concurrency} workers starts, and throughput is deliveries / (last order
 * COMPLETED - first execution start). (Submitting from one thread while the workers run would measure the submit
 * path instead: on PostgreSQL one thread commits only a few hundred orders per second here; the submit rate is
 * reported by the postgres workload.)
 */
public final class WebhookWorkload {
    private static final MediaType JSON = MediaType.get("application/json");

    /** JVM CPU per delivery of the last variant run (receiver included: it runs in this JVM for every variant). */
    private static double lastCpuMicros;

    /** CPU of the whole machine per delivery of the last variant run (the database's share included). */
    private static double lastMachineCpuMicros;

    private WebhookWorkload() {}

    /**
     * Runs the baselines and the pipeline variants named by {@code stores} ({@code memory}, {@code postgres} or
     * {@code both}). Run one store per JVM for figures that compare: with both in one JVM the engine's calls into the
     * store see two implementations, which the JIT compiles less well than the one a deployment has.
     */
    public static Results run(int deliveries, int reps, int concurrency, int warmUpRounds, String stores) {
        boolean memory = !stores.equals("postgres");
        boolean postgres = !stores.equals("memory");
        Results results = new Results(stores.equals("both") ? "webhook" : "webhook-" + stores);
        results.setting("stores", stores);
        results.setting("deliveries", deliveries);
        results.setting("concurrency", concurrency);
        results.setting("repetitions", reps);
        results.setting("warmUp", warmUpRounds + " untimed rounds of every variant at the same size");
        results.setting("receiver", "JDK HttpServer on 127.0.0.1, 4 threads, answers 200 with no body");
        Pg.ensureDatabase();
        WebhookSecret secret = WebhookSecret.generate();
        try (Receiver receiver = new Receiver(4);
                HikariDataSource admin = Pg.pool("bench-admin", 2)) {
            // until the JIT has compiled every variant's paths: the pipelines run far more code than the plain loop,
            // and on 2 cores a C2 compiler still busy during a measured round takes its CPU from that variant
            for (int w = 1; w <= warmUpRounds; w++) {
                System.out.println("warm-up round " + w + " of " + warmUpRounds);
                oneRound("w" + w, deliveries, concurrency, receiver, secret, admin, memory, postgres, null);
            }
            for (int rep = 1; rep <= reps; rep++) {
                System.out.println("repetition " + rep + " (load " + Machine.loadAverage() + ")");
                long jit = jitMillis();
                oneRound("r" + rep, deliveries, concurrency, receiver, secret, admin, memory, postgres, results);
                results.add("jitCompileMillisDuringRepetition", "ms", jitMillis() - jit);
            }
        }
        return results;
    }

    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static void oneRound(
            String tag,
            int n,
            int concurrency,
            Receiver receiver,
            WebhookSecret secret,
            HikariDataSource admin,
            boolean withMemory,
            boolean withPostgres,
            @org.jspecify.annotations.Nullable Results results) {
        double plain = direct(tag + "p", n, concurrency, receiver, secret, false);
        double plainCpu = lastCpuMicros;
        double plainMachineCpu = lastMachineCpuMicros;
        double guarded = direct(tag + "g", n, concurrency, receiver, secret, true);
        double guardedCpu = lastCpuMicros;
        double guardedMachineCpu = lastMachineCpuMicros;
        if (results != null) {
            results.add("plainOkHttp.throughput", "deliveries/s", plain);
            results.add("guardedClient.throughput", "deliveries/s", guarded);
            results.add("ratio.guardedToPlain", "x", guarded / plain);
            results.add("plainOkHttp.jvmCpuPerDelivery", "us", plainCpu);
            results.add("plainOkHttp.machineCpuPerDelivery", "us", plainMachineCpu);
            results.add("guardedClient.jvmCpuPerDelivery", "us", guardedCpu);
            results.add("guardedClient.machineCpuPerDelivery", "us", guardedMachineCpu);
        }
        if (withMemory) {
            double memory = pipeline(tag + "m", n, concurrency, receiver, secret, null, results != null);
            if (results != null) {
                results.add("pipeline.memory.throughput", "deliveries/s", memory);
                results.add("ratio.pipelineMemoryToPlain", "x", memory / plain);
                results.add("pipeline.memory.jvmCpuPerDelivery", "us", lastCpuMicros);
                results.add("pipeline.memory.machineCpuPerDelivery", "us", lastMachineCpuMicros);
            }
        }
        if (withPostgres) {
            OursContender.recreateSchema(admin);
            double postgres;
            try (HikariDataSource ds =
                    Pg.pool("pp-webhook", concurrency + Integer.getInteger("bench.extraConnections", 3))) {
                postgres = pipeline(tag + "s", n, concurrency, receiver, secret, ds, results != null);
            }
            if (results != null) {
                results.add("pipeline.postgres.throughput", "deliveries/s", postgres);
                results.add("ratio.pipelinePostgresToPlain", "x", postgres / plain);
                results.add("pipeline.postgres.jvmCpuPerDelivery", "us", lastCpuMicros);
                results.add("pipeline.postgres.machineCpuPerDelivery", "us", lastMachineCpuMicros);
            }
        }
    }

    private static List<Order> orders(String tag, int n) {
        List<Order> orders = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            orders.add(TestOrders.paidOrder(tag + "-" + i).build());
        }
        return orders;
    }

    private static GuardedHttpClient guarded() {
        return GuardedHttpClient.builder()
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .build();
    }

    /** Deliveries per second sent by {@code concurrency} threads without a pipeline. */
    private static double direct(
            String tag, int n, int concurrency, Receiver receiver, WebhookSecret secret, boolean useGuarded) {
        List<Order> orders = orders(tag, n);
        OkHttpClient plain = new OkHttpClient.Builder().followRedirects(false).build();
        GuardedHttpClient guarded = guarded();
        StandardWebhookSigner signer = StandardWebhookSigner.of(secret);
        String url = receiver.url();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        CpuMeter.Reading cpu0 = CpuMeter.read();
        long t0 = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            Thread thread = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    Order order = orders.get(i);
                    String webhookId = "msg_" + order.id();
                    byte[] body =
                            OrderWebhookPayload.orderPaid(order, webhookId).toBytes();
                    Map<String, String> headers =
                            signer.headers(webhookId, Instant.now().getEpochSecond(), body);
                    int status =
                            useGuarded ? sendGuarded(guarded, url, headers, body) : send(plain, url, headers, body);
                    if (status != 200) {
                        failures.incrementAndGet();
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        CpuMeter.Reading cpu1 = CpuMeter.read();
        lastCpuMicros = CpuMeter.jvmMillis(cpu0, cpu1) * 1000 / n;
        lastMachineCpuMicros = CpuMeter.machineMillis(cpu0, cpu1) * 1000 / n;
        plain.connectionPool().evictAll();
        plain.dispatcher().executorService().shutdown();
        guarded.close();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " deliveries failed");
        }
        return n / seconds;
    }

    private static int send(OkHttpClient client, String url, Map<String, String> headers, byte[] body) {
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, JSON));
        headers.forEach(request::header);
        try (Response response = client.newCall(request.build()).execute()) {
            return response.code();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int sendGuarded(GuardedHttpClient client, String url, Map<String, String> headers, byte[] body) {
        HttpRequestSpec.Builder spec = HttpRequestSpec.builder("POST", url);
        headers.forEach(spec::header);
        HttpResult result = client.execute(spec.body(body, "application/json").build());
        return result.status();
    }

    private static JdbcActionStateStore store(HikariDataSource ds) {
        return JdbcActionStateStore.builder()
                .dataSource(ds)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(JdbcDialect.POSTGRESQL)
                .tablePrefix(OursContender.PREFIX)
                .build();
    }

    /** Deliveries per second through a pipeline; {@code ds} null for the in-memory store. */
    private static double pipeline(
            String tag,
            int n,
            int workers,
            Receiver receiver,
            WebhookSecret secret,
            @org.jspecify.annotations.Nullable HikariDataSource ds,
            boolean measured) {
        List<Order> orders = orders(tag, n);
        GuardedHttpClient client = guarded();
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        definitions.save(ActionDefinition.builder(WebhookOrderExecutor.TYPE)
                .id("d-webhook")
                .name("Order webhook")
                .checkout("checkout-1")
                .config(WebhookConfig.of(receiver.url(), secret))
                .build());
        CountDownLatch done = new CountDownLatch(n);
        DrainClock clock = new DrainClock();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void triggerCompleted(TriggerCompletion trigger) {
                clock.done();
                done.countDown();
            }
        };
        int before = receiver.requests();
        ActionStateStore plainStore = ds == null ? ActionStateStore.inMemory() : store(ds);
        CountingStore counting = new CountingStore(plainStore);
        ActionStateStore store = measured && Profiling.enabled() ? counting : plainStore;
        WebhookOrderExecutor webhooks =
                WebhookOrderExecutor.builder().httpClient(client).build();
        ActionPipeline submitter = ActionPipeline.builder()
                .store(plainStore)
                .definitions(definitions)
                .executor(webhooks)
                .startWorkers(false)
                .build();
        Submitters.submitAll(submitter, n, 4, orders::get);
        submitter.close();
        Profiling profiling = measured ? Profiling.start() : Profiling.none();
        CpuMeter.Reading cpu0 = CpuMeter.read();
        ActionPipeline pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(new TimedExecutor<>(webhooks, clock))
                .workers(workers)
                .listener(listener)
                .build();
        try {
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("webhook pipeline did not finish: " + (n - done.getCount()) + " of " + n
                        + " done, receiver saw " + (receiver.requests() - before));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        double seconds = (clock.lastDoneNanos() - clock.firstStartNanos()) / 1e9;
        CpuMeter.Reading cpu1 = CpuMeter.read();
        lastCpuMicros = CpuMeter.jvmMillis(cpu0, cpu1) * 1000 / n;
        lastMachineCpuMicros = CpuMeter.machineMillis(cpu0, cpu1) * 1000 / n;
        profiling.stop("webhook-" + (ds == null ? "memory" : "postgres"), counting.report(n));
        pipeline.close();
        pipeline.store().close();
        client.close();
        return n / seconds;
    }
}
