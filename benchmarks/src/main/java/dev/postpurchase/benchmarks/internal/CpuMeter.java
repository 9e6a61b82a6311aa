package dev.postpurchase.benchmarks.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this JVM and of the whole machine between two points: the difference is what PostgreSQL (and
 * anything else running) used. Machine figures come from {@code /proc/stat} (clock ticks of 10 ms).
 */
public final class CpuMeter {
    /** A reading. */
    public record Reading(long jvmCpuNanos, long machineBusyTicks, long wallNanos) {}

    private CpuMeter() {}

    public static Reading read() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Reading(jvm, machineBusyTicks(), System.nanoTime());
    }

    /** CPU milliseconds this JVM used between the readings. */
    public static double jvmMillis(Reading from, Reading to) {
        return (to.jvmCpuNanos() - from.jvmCpuNanos()) / 1e6;
    }

    /** CPU milliseconds the whole machine used between the readings (all processes, all cores). */
    public static double machineMillis(Reading from, Reading to) {
        return (to.machineBusyTicks() - from.machineBusyTicks()) * 10.0;
    }

    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle and iowait are not busy
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
