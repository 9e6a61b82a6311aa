package dev.postpurchase.core.action;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link RunQuery}, newest first.
 *
 * @param next the cursor of the following page ({@link RunQuery#after(String)}), or null on the last page
 */
public record RunPage(List<ActionRun> runs, @Nullable String next) {
    public RunPage {
        runs = List.copyOf(runs);
    }

    /** The page of {@code runs} (at most {@code limit + 1} given, newest first) that a query of {@code limit} shows. */
    public static RunPage of(List<ActionRun> newestFirst, int limit) {
        if (newestFirst.size() <= limit) {
            return new RunPage(newestFirst, null);
        }
        List<ActionRun> page = newestFirst.subList(0, limit);
        ActionRun last = page.get(limit - 1);
        return new RunPage(page, new Cursor(last.createdAt(), last.id()).encode());
    }

    /** A position in the newest-first order: runs strictly older than it (ties by id) come after it. */
    public record Cursor(Instant createdAt, String id) {
        public String encode() {
            return createdAt + "|" + id;
        }

        /** Whether {@code run} comes after this position. */
        public boolean isBefore(ActionRun run) {
            int c = run.createdAt().compareTo(createdAt);
            return c < 0 || (c == 0 && run.id().compareTo(id) < 0);
        }

        /** The cursor a page returned, or null when {@code value} is not one. */
        public static @Nullable Cursor parse(@Nullable String value) {
            if (value == null) {
                return null;
            }
            int bar = value.indexOf('|');
            if (bar < 1 || bar == value.length() - 1) {
                return null;
            }
            try {
                return new Cursor(Instant.parse(value.substring(0, bar)), value.substring(bar + 1));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
