package dev.postpurchase.benchmarks;

import dev.postpurchase.benchmarks.internal.BacklogWorkload;
import dev.postpurchase.benchmarks.internal.DefinitionSourceWorkload;
import dev.postpurchase.benchmarks.internal.InMemoryWorkload;
import dev.postpurchase.benchmarks.internal.Machine;
import dev.postpurchase.benchmarks.internal.PostgresWorkload;
import dev.postpurchase.benchmarks.internal.Results;
import dev.postpurchase.benchmarks.internal.StaffQueryWorkload;
import dev.postpurchase.benchmarks.internal.WebhookWorkload;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one end-to-end workload in this JVM and writes its figures to {@code <out>/<workload>.json}:
 *
 * <pre>
 * BenchmarkMain inmemory|postgres|webhook|backlog|definitions|staff [key=value ...]
 * </pre>
 *
 * Keys (defaults are the full sizes of BENCHMARKS.md): {@code out} (benchmarks/results), {@code reps} (3),
 * {@code workers} (8); inmemory: {@code orders} (100000), {@code pacedOrders} (1000), {@code pacedRate} (500),
 * postgres: {@code jobs} (50000), {@code latencyJobs} (200, 0 for none), {@code latencyRate} (100), {@code only}
 * (one contender by name, for profiling); webhook:
 * {@code deliveries} (20000), {@code warmUp} (4 rounds), {@code stores} (memory, postgres or both); backlog: {@code sizes} (10000,1000000), {@code due} (500), {@code latencyJobs} (100),
 * {@code latencyRate} (100); definitions: {@code orders} (20000), {@code threads} (4), {@code background} (1000).
 * Exits non-zero when a workload fails.
 */
public final class BenchmarkMain {
    private BenchmarkMain() {}

    /** Entry point; see the class documentation for the arguments. */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println(
                    "usage: BenchmarkMain inmemory|postgres|webhook|backlog|definitions|staff [key=value ...]");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 1) {
                System.err.println("not key=value: " + args[i]);
                System.exit(2);
            }
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Path out = Path.of(options.getOrDefault("out", "benchmarks/results"));
        int reps = integer(options, "reps", 3);
        int workers = integer(options, "workers", 8);
        System.out.println("machine: " + Machine.describe());
        System.out.println("load before: " + Machine.loadAverage());
        Results results =
                switch (args[0]) {
                    case "inmemory" -> InMemoryWorkload.run(
                            integer(options, "orders", 100_000),
                            reps,
                            workers,
                            integer(options, "pacedOrders", 1000),
                            integer(options, "pacedRate", 500));
                    case "postgres" -> PostgresWorkload.run(
                            integer(options, "jobs", 50_000),
                            reps,
                            workers,
                            integer(options, "latencyJobs", 200),
                            integer(options, "latencyRate", 100),
                            options.getOrDefault("only", ""));
                    case "webhook" -> WebhookWorkload.run(
                            integer(options, "deliveries", 20000),
                            reps,
                            workers,
                            integer(options, "warmUp", 4),
                            options.getOrDefault("stores", "both"));
                    case "backlog" -> BacklogWorkload.run(
                            sizes(options.getOrDefault("sizes", "10000,1000000")),
                            reps,
                            workers,
                            integer(options, "due", 500),
                            integer(options, "latencyJobs", 100),
                            integer(options, "latencyRate", 100));
                    case "definitions" -> DefinitionSourceWorkload.run(
                            integer(options, "orders", 20_000),
                            reps,
                            integer(options, "threads", 4),
                            integer(options, "background", 1000));
                    case "staff" -> StaffQueryWorkload.run(
                            integer(options, "finished", 1_000_000),
                            integer(options, "failEvery", 100),
                            integer(options, "samples", 1000));
                    default -> {
                        System.err.println("unknown workload " + args[0]);
                        System.exit(2);
                        throw new IllegalStateException();
                    }
                };
        results.setting("machine", Machine.describe());
        Path file = results.write(out);
        System.out.println("wrote " + file);
        System.exit(0);
    }

    private static int integer(Map<String, String> options, String key, int fallback) {
        String value = options.get(key);
        return value == null ? fallback : Integer.parseInt(value.replace("_", ""));
    }

    private static List<Integer> sizes(String value) {
        return java.util.Arrays.stream(value.split(","))
                .map(s -> Integer.parseInt(s.trim().replace("_", "")))
                .toList();
    }
}
