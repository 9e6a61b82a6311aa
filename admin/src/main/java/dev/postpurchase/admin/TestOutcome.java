package dev.postpurchase.admin;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link DefinitionTester} found; shown on the page as text, never as HTML.
 *
 * @param ok whether the receiver answered as a run needs (for example 200 within the time limit)
 * @param status the HTTP status, or null when no answer came
 * @param body the start of the answer, exactly as received (the tester bounds it); empty when none
 * @param elapsedMillis how long the request took
 * @param problem why the answer is not good enough, or null when it is
 */
public record TestOutcome(
        boolean ok, @Nullable Integer status, String body, long elapsedMillis, @Nullable String problem) {
    public TestOutcome {
        body = body == null ? "" : body;
    }
}
