package dev.postpurchase.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording into where the time goes: Java CPU samples ({@code jdk.ExecutionSample}) and samples of
 * threads in native code, mostly waiting on sockets for PostgreSQL ({@code jdk.NativeMethodSample}). For each kind:
 * samples by thread group, by the library of the innermost frame, the hottest innermost methods, and the
 * {@code dev.postpurchase} methods on the stack (inclusive).
 *
 * <pre>JfrSummary recording.jfr</pre>
 */
public final class JfrSummary {
    private JfrSummary() {}

    /** Prints the summary of the recording named by the first argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JfrSummary recording.jfr");
            System.exit(2);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
        summarise("Java CPU samples (jdk.ExecutionSample)", events, "jdk.ExecutionSample");
        summarise(
                "Samples of threads in native code, mostly blocked on socket reads (jdk.NativeMethodSample)",
                events,
                "jdk.NativeMethodSample");
    }

    private static void summarise(String title, List<RecordedEvent> events, String type) {
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> byLibrary = new HashMap<>();
        Map<String, Integer> byTop = new HashMap<>();
        Map<String, Integer> byOurs = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals(type)) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null
                    ? "?"
                    : threadGroup(e.getThread("sampledThread").getJavaName());
            if (thread.equals("JFR") || thread.equals("heap-sampler")) {
                continue;
            }
            total++;
            byThread.merge(thread, 1, Integer::sum);
            RecordedFrame top = stack.getFrames().get(0);
            byLibrary.merge(library(typeName(top)), 1, Integer::sum);
            byTop.merge(method(top), 1, Integer::sum);
            Set<String> ours = new LinkedHashSet<>();
            for (RecordedFrame f : stack.getFrames()) {
                if (typeName(f).startsWith("dev.postpurchase.") && !typeName(f).startsWith("dev.postpurchase.bench")) {
                    ours.add(method(f));
                }
            }
            ours.forEach(m -> byOurs.merge(m, 1, Integer::sum));
        }
        System.out.println("## " + title + ": " + total + " samples");
        print("by thread", byThread, total, 12);
        print("by library of the innermost frame", byLibrary, total, 10);
        print("hottest innermost methods", byTop, total, 15);
        print("our methods on the stack (inclusive)", byOurs, total, 20);
        System.out.println();
    }

    private static void print(String heading, Map<String, Integer> counts, int total, int limit) {
        System.out.println("### " + heading);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .forEach(en -> System.out.printf(
                        "%6.1f%%  %6d  %s%n", 100.0 * en.getValue() / Math.max(1, total), en.getValue(), en.getKey()));
    }

    private static String typeName(RecordedFrame f) {
        return f.getMethod() == null ? "?" : f.getMethod().getType().getName();
    }

    private static String method(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + " (" + library(type) + ")";
    }

    private static String library(String type) {
        if (type.startsWith("dev.postpurchase.benchmarks")) {
            return "harness";
        }
        if (type.startsWith("dev.postpurchase.")) {
            return "postpurchase";
        }
        if (type.startsWith("org.postgresql")) {
            return "PostgreSQL JDBC driver";
        }
        if (type.startsWith("com.zaxxer")) {
            return "HikariCP";
        }
        if (type.startsWith("com.fasterxml")) {
            return "Jackson";
        }
        if (type.startsWith("org.slf4j")) {
            return "SLF4J";
        }
        if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
            return "JDK";
        }
        int dot = type.indexOf('.', type.indexOf('.') + 1);
        return dot > 0 ? type.substring(0, dot) : type;
    }

    private static String threadGroup(String name) {
        return name.replaceAll("[-#]?\\d+$", "").replaceAll("-\\d+-", "-");
    }
}
