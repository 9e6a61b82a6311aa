package dev.postpurchase.examples.quickstart;

import dev.postpurchase.core.action.ActionRun;
import java.io.PrintStream;
import java.util.List;

/** Prints runs as a fixed-width table: action, level, status, attempts, and the result or last error. */
final class RunTable {
    private RunTable() {}

    static void print(PrintStream out, String title, List<ActionRun> runs) {
        out.println();
        out.println(title);
        String format = "  %-34s %-9s %-10s %8s  %s%n";
        out.printf(format, "ACTION", "LEVEL", "STATUS", "ATTEMPTS", "RESULT / LAST ERROR");
        for (ActionRun run : runs) {
            out.printf(
                    format,
                    clip(run.name() + " (" + run.type() + ")", 34),
                    run.level(),
                    run.awaitingRetry() ? "RETRYING" : run.status().name(),
                    run.totalAttempts() + (run.rerunCount() > 0 ? " (" + run.rerunCount() + " re-run)" : ""),
                    clip(detail(run), 70));
        }
    }

    static String progress(List<ActionRun> runs) {
        long done = runs.stream().filter(r -> r.status().isTerminal()).count();
        long retrying = runs.stream().filter(ActionRun::awaitingRetry).count();
        long running = runs.stream()
                .filter(r -> r.status() == dev.postpurchase.core.action.RunStatus.RUNNING)
                .count();
        return done + "/" + runs.size() + " finished, " + running + " running, " + retrying + " waiting for a retry";
    }

    private static String detail(ActionRun run) {
        if (run.skipReason() != null) {
            return "skipped: " + run.skipReason();
        }
        if (run.lastError() != null) {
            return (run.awaitingRetry() ? "retry at " + run.nextAttemptAt() + ": " : "") + run.lastError();
        }
        return run.result() == null ? "" : run.result().replaceAll("\\s+", " ");
    }

    private static String clip(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
