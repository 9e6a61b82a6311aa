package dev.postpurchase.webhook.fulfillment;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the merchant's server answered to {@link WebhookFulfillmentExecutor#testWebhook}. No run was created and
 * nothing was handed to a customer.
 *
 * @param webhookId the {@code webhook-id} of the test request ({@code msg_test_...}, new for every test)
 * @param status the HTTP status, or null when no answer came (timeout, connection failure, blocked address)
 * @param bodyPrefix at most 500 characters of the body, on one line; empty when none
 * @param bodyBytes body bytes read (at most the contract's limit)
 * @param elapsed how long the request took
 * @param metContract whether the answer fulfils the contract: HTTP 200 in time with a body within the limit
 * @param problem why the contract was not met, or null when it was
 */
public record FulfillmentTestResult(
        String webhookId,
        @Nullable Integer status,
        String bodyPrefix,
        int bodyBytes,
        Duration elapsed,
        boolean metContract,
        @Nullable String problem) {}
