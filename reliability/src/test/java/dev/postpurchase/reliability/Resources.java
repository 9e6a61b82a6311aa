package dev.postpurchase.reliability;

import java.io.File;
import java.lang.management.ManagementFactory;

/**
 * Threads, open file descriptors and heap of this JVM, measured the same way before and after. File descriptors
 * are those of sockets, pipes, epoll instances and other files, not the jar files the class loader opens as classes
 * are first used.
 * {@code sdkThreads} leaves out the threads of the test peers (MockWebServer's connection and task threads, the JDK
 * receiver, GreenMail), which the SDK does not own.
 */
record Resources(int threads, int sdkThreads, int fileDescriptors, long heapBytes) {

    static Resources measure() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime rt = Runtime.getRuntime();
        long fds = descriptorKinds().entrySet().stream()
                .filter(e -> !e.getKey().endsWith(".jar") && !e.getKey().contains("/lib/jvm/"))
                .mapToLong(java.util.Map.Entry::getValue)
                .sum();
        int sdk = (int) Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> !n.startsWith("MockWebServer") && !n.startsWith("receiver") && !n.contains("greenmail"))
                .count();
        return new Resources(
                ManagementFactory.getThreadMXBean().getThreadCount(),
                sdk,
                (int) fds,
                rt.totalMemory() - rt.freeMemory());
    }

    /**
     * The TCP sockets this process holds, as {@code localPort->remotePort state} counts, read from {@code
     * /proc/self/fd} and {@code /proc/net/tcp{,6}}: tells which peer a leaked socket belongs to.
     */
    static java.util.Map<String, Long> sockets() {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds != null) {
            for (File fd : fds) {
                try {
                    String target =
                            java.nio.file.Files.readSymbolicLink(fd.toPath()).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (java.io.IOException e) {
                    // closed meanwhile
                }
            }
        }
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && inodes.contains(f[9])) {
                        int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                        int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                        out.merge(local + "->" + remote + " st" + f[3], 1L, Long::sum);
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // not Linux: no detail
            }
        }
        return out;
    }

    /** Open file descriptors by kind of target (socket, pipe, anon_inode:[eventpoll], or the file's name). */
    static java.util.Map<String, Long> descriptorKinds() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds != null) {
            for (File fd : fds) {
                try {
                    String target =
                            java.nio.file.Files.readSymbolicLink(fd.toPath()).toString();
                    String kind = target.startsWith("socket:")
                            ? "socket"
                            : target.startsWith("pipe:") ? "pipe" : target.replaceAll("[0-9]+", "N");
                    out.merge(kind, 1L, Long::sum);
                } catch (java.io.IOException e) {
                    // closed meanwhile
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "threads " + threads + " (SDK and test " + sdkThreads + "), fds " + fileDescriptors + ", heap "
                + (heapBytes / (1024 * 1024)) + " MiB";
    }
}
