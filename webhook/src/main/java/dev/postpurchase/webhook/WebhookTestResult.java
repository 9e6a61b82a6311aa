package dev.postpurchase.webhook;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the merchant's receiver answered to {@link WebhookOrderExecutor#testWebhook}: one signed {@code order.paid}
 * delivery of a sample order. No run was created.
 *
 * @param webhookId the {@code webhook-id} of the test delivery ({@code msg_test_...}, new for every test)
 * @param status the HTTP status, or null when no answer came (timeout, connection failure, blocked address)
 * @param bodyPrefix at most 500 characters of the answer's body, on one line; empty when none
 * @param elapsed how long the delivery took
 * @param delivered whether a run would count this answer as delivered (a 2xx)
 * @param problem why it would not, as a run would record it, or null when delivered
 */
public record WebhookTestResult(
        String webhookId,
        @Nullable Integer status,
        String bodyPrefix,
        Duration elapsed,
        boolean delivered,
        @Nullable String problem) {}
