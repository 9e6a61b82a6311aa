package dev.postpurchase.core.action;

import dev.postpurchase.core.internal.StoredText;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a run, as kept in its history (the last {@value #KEPT} per run, removed with the run by retention).
 *
 * @param startedAt when the attempt started, by the executing node's clock
 * @param durationMillis how long the executor took
 * @param outcome what it came to
 * @param statusCode the peer's status code, when there was one
 * @param excerpt the start of what the attempt answered or its error, bounded to {@value #EXCERPT_LENGTH}
 *     characters; taken from the run's recorded result or error, which executors keep free of secrets; a NUL
 *     character in it is replaced by U+FFFD, as in {@link RunState}
 * @param node the node that made the attempt
 */
public record AttemptRecord(
        Instant startedAt,
        long durationMillis,
        Outcome outcome,
        @Nullable Integer statusCode,
        @Nullable String excerpt,
        String node) {

    /** How many attempts a run keeps. */
    public static final int KEPT = 20;

    /** The longest excerpt kept. */
    public static final int EXCERPT_LENGTH = 500;

    /** What an attempt came to. */
    public enum Outcome {
        SUCCEEDED,
        SKIPPED,
        RETRY_SCHEDULED,
        FAILED
    }

    public AttemptRecord {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(node, "node");
        if (durationMillis < 0) {
            throw new IllegalArgumentException("durationMillis must not be negative");
        }
        excerpt = StoredText.withoutNul(excerpt);
        if (excerpt != null && excerpt.length() > EXCERPT_LENGTH) {
            excerpt = excerpt.substring(0, EXCERPT_LENGTH - 1) + "…";
        }
    }

    @Override
    public String toString() {
        return "AttemptRecord[" + startedAt + ", " + durationMillis + " ms, " + outcome + ", node=" + node + "]";
    }
}
