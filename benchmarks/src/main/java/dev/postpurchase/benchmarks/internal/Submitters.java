package dev.postpurchase.benchmarks.internal;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.order.Order;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Submits many orders through a pipeline from several threads, as a web tier's request threads would. */
public final class Submitters {
    private Submitters() {}

    /** Submits orders 0 .. count-1 made by {@code order} from {@code threads} threads; returns when all are stored. */
    public static void submitAll(ActionPipeline pipeline, int count, int threads, IntFunction<Order> order) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < count; i += threads) {
                        pipeline.submit(order.apply(i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("submitting failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdown();
        }
    }
}
