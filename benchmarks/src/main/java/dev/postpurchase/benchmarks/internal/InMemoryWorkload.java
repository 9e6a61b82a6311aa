package dev.postpurchase.benchmarks.internal;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Workload 1: the in-memory store and a no-op executor. Each order of {@link TestOrders#paidOrder} matches three
 * definitions (checkout, offer, product level), so every order makes three runs.
 *
 * <p>Per repetition, on a fresh pipeline: one thread submits {@code orders} orders as fast as it can while the
 * workers execute; throughput is runs / (last run SUCCEEDED - first submit). Then, on the same (now idle, full)
 * pipeline, {@code pacedOrders} orders are submitted at a steady {@code pacedRate} per second and the time from the
 * submit call to each run's start is recorded. Heap is watched throughout; the retained heap is measured after a
 * full collection with the store still full.
 */
public final class InMemoryWorkload {
    private InMemoryWorkload() {}

    public static Results run(int orders, int reps, int workers, int pacedOrders, int pacedRate) {
        Results results = new Results("inmemory");
        results.setting("orders", orders);
        results.setting("actionsPerOrder", 3);
        results.setting("workers", workers);
        results.setting("repetitions", reps);
        results.setting("latency", pacedOrders + " orders (x3 runs) at " + pacedRate + " orders/s after the flood");
        results.setting("maxHeap", String.format("%.0f MiB", HeapWatcher.maxHeapMiB()));
        System.out.println("warm-up (20000 orders)");
        once("w", 20_000, workers, 0, pacedRate, null);
        for (int rep = 1; rep <= reps; rep++) {
            System.out.println("repetition " + rep + " (load " + Machine.loadAverage() + ")");
            once("r" + rep, orders, workers, pacedOrders, pacedRate, results);
        }
        return results;
    }

    private static InMemoryDefinitionSource definitions() {
        InMemoryDefinitionSource d = new InMemoryDefinitionSource();
        d.save(TestDefinitions.definition("d-checkout", NoOpExecutor.TYPE, ActionLevel.CHECKOUT, "checkout-1"));
        d.save(TestDefinitions.definition("d-offer", NoOpExecutor.TYPE, ActionLevel.OFFER, "offer-1"));
        d.save(TestDefinitions.definition("d-product", NoOpExecutor.TYPE, ActionLevel.PRODUCT, "product-1"));
        return d;
    }

    private static void once(
            String tag,
            int orders,
            int workers,
            int pacedOrders,
            int pacedRate,
            @org.jspecify.annotations.Nullable Results results) {
        int runs = orders * 3;
        CountDownLatch floodDone = new CountDownLatch(runs);
        DrainClock clock = new DrainClock();
        NoOpExecutor executor = new NoOpExecutor();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void runChanged(ActionRun run) {
                if (run.status() == RunStatus.SUCCEEDED) {
                    clock.done();
                    floodDone.countDown();
                }
            }
        };
        try (HeapWatcher heap = new HeapWatcher()) {
            ActionPipeline pipeline = ActionPipeline.builder()
                    .store(ActionStateStore.inMemory())
                    .definitions(definitions())
                    .executor(executor)
                    .workers(workers)
                    .listener(listener)
                    .build();
            CpuMeter.Reading cpu0 = CpuMeter.read();
            long t0 = System.nanoTime();
            for (int i = 0; i < orders; i++) {
                pipeline.submit(TestOrders.paidOrder(tag + "-" + i).build());
            }
            long submitted = System.nanoTime();
            if (!floodDone.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the in-memory flood did not finish in 10 minutes");
            }
            CpuMeter.Reading cpu1 = CpuMeter.read();
            double seconds = (clock.lastDoneNanos() - t0) / 1e9;
            StartProbe probe = new StartProbe(pacedOrders * 3);
            if (pacedOrders > 0) {
                executor.probe(probe);
                Paced.run(pacedOrders, pacedRate, i -> {
                    String id = tag + "-paced-" + i;
                    probe.submitting(id);
                    pipeline.submit(TestOrders.paidOrder(id).build());
                });
                if (!pipeline.awaitIdle(Duration.ofMinutes(1))) {
                    throw new IllegalStateException("the paced orders did not finish");
                }
            }
            double retained = HeapWatcher.retainedMiB();
            pipeline.close();
            if (results != null) {
                results.add("throughput", "runs/s", runs / seconds);
                results.add("submitRate", "orders/s", orders / ((submitted - t0) / 1e9));
                results.add("jvmCpuPerRun", "us", CpuMeter.jvmMillis(cpu0, cpu1) * 1000 / runs);
                results.add("latency.p50", "ms", probe.percentileMillis(50));
                results.add("latency.p99", "ms", probe.percentileMillis(99));
                results.add("heap.peakUsed", "MiB", heap.peakUsedMiB());
                results.add("heap.peakAfterGc", "MiB", heap.peakAfterGcMiB());
                results.add("heap.retainedFullStore", "MiB", retained);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
