package dev.postpurchase.benchmarks.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples the stacks of the pipeline's threads every few milliseconds and sorts each sample into what the thread was
 * doing: idle (no run handed to it), waiting for a pooled connection, waiting on PostgreSQL inside a store method,
 * waiting for work (dispatcher), or on the CPU inside one of our methods. Wall-clock, unlike CPU profiles: it shows
 * where a run's time goes while the database does the work. Thread-safe; start, then {@link #stop()}.
 */
public final class StackSampler {
    private static final java.util.Set<String> STORE_API = java.util.Set.of(
            "create",
            "trigger",
            "triggersOf",
            "run",
            "runs",
            "claim",
            "recordOutcomes",
            "renewLeases",
            "release",
            "requeue",
            "staleRuns",
            "nodeAlive",
            "unclaimableRuns",
            "untilNextDue",
            "deleteFinishedBefore");

    private final Map<String, Map<String, AtomicInteger>> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> totals = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public StackSampler(long periodMillis) {
        thread = new Thread(() -> loop(periodMillis), "stack-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(long periodMillis) {
        while (running) {
            for (Map.Entry<Thread, StackTraceElement[]> e :
                    Thread.getAllStackTraces().entrySet()) {
                String name = e.getKey().getName();
                if (!name.startsWith("postpurchase-")) {
                    continue;
                }
                String group = name.replaceAll("-\\d+$", "");
                String what = classify(e.getKey().getState(), e.getValue());
                counts.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                        .computeIfAbsent(what, w -> new AtomicInteger())
                        .incrementAndGet();
                totals.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException ex) {
                return;
            }
        }
    }

    static String classify(Thread.State state, StackTraceElement[] stack) {
        String store = null;
        String ours = null;
        boolean driver = false;
        boolean pool = false;
        boolean idle = false;
        boolean awaitWork = false;
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (c.startsWith("org.postgresql")) {
                driver = true;
            }
            if (c.startsWith("com.zaxxer.hikari.util.ConcurrentBag")) {
                pool = true;
            }
            if (c.equals("java.util.concurrent.ThreadPoolExecutor")
                    && f.getMethodName().equals("getTask")) {
                idle = true;
            }
            if (c.endsWith("RunEngine") && f.getMethodName().equals("awaitWork")) {
                awaitWork = true;
            }
            if (c.startsWith("dev.postpurchase.jdbc.JdbcActionStateStore")) {
                String m = f.getMethodName().replaceAll("^lambda\\$(\\w+)\\$\\d+$", "$1");
                if (STORE_API.contains(m)) {
                    store = "JdbcActionStateStore." + m; // the outermost API method wins
                }
            }
            if (ours == null && c.startsWith("dev.postpurchase.") && !c.startsWith("dev.postpurchase.benchmarks")) {
                ours = c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethodName();
            }
        }
        if (idle) {
            return "idle: pool thread waiting for a task (a worker: for the dispatcher to hand over a run)";
        }
        if (pool) {
            return "waiting for a pooled connection" + (store == null ? "" : " (" + store + ")");
        }
        if (awaitWork) {
            return "waiting for work (poll interval or wake-up)";
        }
        boolean network = stack.length > 0
                && (stack[0].getClassName().startsWith("sun.nio.ch.")
                        || stack[0].getClassName().startsWith("java.net.")
                        || stack[0].getClassName().startsWith("sun.net."));
        if (network && !driver) {
            return "waiting on the network (HTTP): " + (ours == null ? "?" : ours);
        }
        if (driver && store != null) {
            return "in the JDBC driver / waiting on PostgreSQL: " + store;
        }
        if (driver) {
            return "in the JDBC driver / waiting on PostgreSQL: " + (ours == null ? "?" : ours);
        }
        if (state == Thread.State.RUNNABLE) {
            return "running Java: " + (ours == null ? stack.length == 0 ? "?" : stack[0].toString() : ours);
        }
        return state.name().toLowerCase(java.util.Locale.ROOT) + ": " + (ours == null ? "?" : ours);
    }

    /** Stops sampling and returns the report: per thread group, the share of samples in each activity. */
    public String stop() {
        running = false;
        thread.interrupt();
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Map<String, AtomicInteger>> g : new TreeMap<>(counts).entrySet()) {
            int total = totals.get(g.getKey()).get();
            s.append("### ").append(g.getKey()).append(" (").append(total).append(" samples)\n");
            g.getValue().entrySet().stream()
                    .sorted((a, b) ->
                            Integer.compare(b.getValue().get(), a.getValue().get()))
                    .limit(14)
                    .forEach(e -> s.append(String.format(
                            java.util.Locale.ROOT,
                            "%6.1f%%  %s%n",
                            100.0 * e.getValue().get() / total,
                            e.getKey())));
        }
        return s.toString();
    }
}
