package dev.postpurchase.webhook.fulfillment;

import dev.postpurchase.core.Violations;
import dev.postpurchase.core.retry.RetryPolicy;
import java.time.Duration;

/**
 * What the merchant's fulfillment server must do for a request to count as fulfilled, and how failures are retried.
 * The defaults are the product's: answer {@code HTTP 200} within 30 seconds with a text body of at most 600 KB
 * ({@code 600 * 1024} bytes); anything else (another status, no answer in time, a larger body, a connection error)
 * is retried every 10 minutes, at most 4 times (five attempts in all).
 *
 * @param responseTimeout the longest a whole request may take, from connecting to the end of the body
 * @param maxResponseBytes the largest accepted body; one byte more fails the request (only that much is read)
 * @param retryInterval the wait between attempts
 * @param maxRetries retries after the first attempt
 */
public record FulfillmentContract(
        Duration responseTimeout, long maxResponseBytes, Duration retryInterval, int maxRetries) {
    /** The default timeout: 30 seconds. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    /** The default body limit: 600 KB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 600L * 1024;

    /** The default retry interval: 10 minutes. */
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMinutes(10);

    /** The default number of retries: 4. */
    public static final int DEFAULT_MAX_RETRIES = 4;

    /**
     * Checks the figures.
     *
     * @throws dev.postpurchase.core.ValidationException naming every bad argument: a missing or non-positive
     *     duration, a body limit outside 1 byte to 256 MiB, or retries outside 0 to 1000
     */
    public FulfillmentContract {
        Violations v = new Violations();
        v.requirePositive("responseTimeout", responseTimeout);
        v.check(
                maxResponseBytes >= 1 && maxResponseBytes <= 256L * 1024 * 1024,
                "maxResponseBytes",
                "must be between 1 and 268435456");
        v.requirePositive("retryInterval", retryInterval);
        v.check(maxRetries >= 0 && maxRetries <= 1000, "maxRetries", "must be between 0 and 1000");
        v.throwIfAny();
    }

    /** The product defaults: 30 s, 600 KB, every 10 minutes, 4 retries. */
    public static FulfillmentContract defaults() {
        return new FulfillmentContract(
                DEFAULT_RESPONSE_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_RETRY_INTERVAL, DEFAULT_MAX_RETRIES);
    }

    /** A copy with another response timeout. */
    public FulfillmentContract withResponseTimeout(Duration value) {
        return new FulfillmentContract(value, maxResponseBytes, retryInterval, maxRetries);
    }

    /** A copy with another body limit. */
    public FulfillmentContract withMaxResponseBytes(long value) {
        return new FulfillmentContract(responseTimeout, value, retryInterval, maxRetries);
    }

    /** A copy retrying every {@code interval}, at most {@code retries} times. */
    public FulfillmentContract withRetries(Duration interval, int retries) {
        return new FulfillmentContract(responseTimeout, maxResponseBytes, interval, retries);
    }

    /** The retry policy of these figures: {@code RetryPolicy.fixed(retryInterval, maxRetries)}. */
    public RetryPolicy retryPolicy() {
        return RetryPolicy.fixed(retryInterval, maxRetries);
    }
}
