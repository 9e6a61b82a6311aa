package dev.postpurchase.benchmarks.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.jspecify.annotations.Nullable;

/**
 * Optional profiling of one measured phase: when the system property {@code bench.jfr} names a directory, a JFR
 * recording (the JDK's "profile" settings) and a wall-clock {@link StackSampler} cover exactly that phase, and are
 * written there as {@code drain-<name>.jfr} and {@code threads-<name>.txt}. Without the property it does nothing.
 */
public final class Profiling {
    private final @Nullable Recording recording;
    private final @Nullable StackSampler sampler;

    private Profiling(@Nullable Recording recording, @Nullable StackSampler sampler) {
        this.recording = recording;
        this.sampler = sampler;
    }

    /** Whether profiling is switched on for this JVM. */
    public static boolean enabled() {
        return System.getProperty("bench.jfr") != null;
    }

    /** A profiling that does nothing, for phases that are not measured (warm-ups). */
    public static Profiling none() {
        return new Profiling(null, null);
    }

    /** Starts profiling a phase (or nothing, when not enabled). */
    public static Profiling start() {
        if (!enabled()) {
            return new Profiling(null, null);
        }
        try {
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.start();
            return new Profiling(r, new StackSampler(5));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot start JFR", e);
        }
    }

    /** Stops and writes the recording and the thread-state report, with {@code extra} appended to the report. */
    public void stop(String name, String extra) {
        if (recording == null || sampler == null) {
            return;
        }
        recording.stop();
        Path dir = Path.of(System.getProperty("bench.jfr"));
        try {
            Files.createDirectories(dir);
            Path jfr = dir.resolve("drain-" + name + ".jfr");
            recording.dump(jfr);
            Path threads = dir.resolve("threads-" + name + ".txt");
            Files.writeString(
                    threads,
                    "## Wall-clock thread states during the drain, sampled every 5 ms\n\n" + sampler.stop() + "\n"
                            + extra);
            System.out.println("  profile of " + name + ": " + jfr + ", " + threads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            recording.close();
        }
    }
}
