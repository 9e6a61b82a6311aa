package dev.postpurchase.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Launches {@link PipelineNodeMain} in separate JVMs with this JVM's class path; each node's output goes to {@code
 * target/nodes/<nodeId>.log} (scanned for secrets by {@link SecretScanTest}).
 */
final class Nodes implements AutoCloseable {
    private final String prefix;
    private final int workers;
    private final Duration lease;
    private final List<Process> started = new ArrayList<>();

    Nodes(String prefix, int workers, Duration lease) {
        this.prefix = prefix;
        this.workers = workers;
        this.lease = lease;
    }

    static Path logDirectory() {
        return Figures.target().resolve("nodes");
    }

    /** Starts a node and waits until it says it is ready. */
    Process start(String nodeId) throws IOException, InterruptedException {
        Path log = logDirectory().resolve(nodeId + ".log");
        Files.createDirectories(log.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Xmx192m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Xshare:auto",
                        PipelineNodeMain.class.getName(),
                        Postgres.url(),
                        Postgres.user(),
                        Postgres.password(),
                        prefix,
                        nodeId,
                        Integer.toString(workers),
                        Long.toString(lease.toMillis()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        started.add(process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains(nodeId + " ready")) {
            if (!process.isAlive()) {
                throw new AssertionError("node " + nodeId + " exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + nodeId + " did not start within 60 s; see " + log);
            }
            Thread.sleep(20);
        }
        return process;
    }

    /** kill -9. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + process.pid() + " survived kill -9");
        }
    }

    /** Asks a node to stop gracefully (closes its standard input) and waits for exit 0. */
    static void stop(Process process, String nodeId) throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + nodeId + " did not stop within 30 s");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("node " + nodeId + " exited with " + process.exitValue() + "; see "
                    + logDirectory().resolve(nodeId + ".log"));
        }
    }

    @Override
    public void close() {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
