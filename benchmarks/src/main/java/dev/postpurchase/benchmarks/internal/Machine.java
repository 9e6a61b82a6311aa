package dev.postpurchase.benchmarks.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Facts about this machine and its current load, read from {@code /proc} where available. */
public final class Machine {
    private Machine() {}

    /** The first three fields of {@code /proc/loadavg} (1, 5 and 15 minute load), or "n/a". */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** A one-line description: processors, memory, CPU model, JVM. */
    public static String describe() {
        return Runtime.getRuntime().availableProcessors() + " processors, " + memory() + ", " + cpuModel() + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", JVM args " + ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kb / 1024 / 1024) + " GiB RAM";
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "RAM n/a";
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "CPU n/a";
    }
}
