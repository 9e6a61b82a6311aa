package dev.postpurchase.http;

import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Maps what the {@link GuardedHttpClient} returned or threw onto an {@link ExecutionOutcome}, the same way for every
 * integration:
 *
 * <ul>
 *   <li>2xx: succeeded, the result records the status and a bounded body prefix.
 *   <li>3xx: permanent failure, "redirects are not followed" (the Location is not recorded: it may hold secrets).
 *   <li>410: permanent failure, the endpoint is gone.
 *   <li>429 and 5xx: retryable, with the status and {@code Retry-After} (delta seconds or HTTP date).
 *   <li>other 4xx (and any other status): permanent failure.
 *   <li>{@link HttpTimeoutException}: retryable with {@link Failure#timedOut()} true.
 *   <li>{@link HttpConnectionException}: retryable.
 *   <li>{@link HttpResponseTooLargeException}: retryable with the status.
 *   <li>{@link BlockedAddressException}, {@link InvalidUrlException}, {@link InvalidHeaderException}: permanent.
 * </ul>
 *
 * Every reason starts with the status ({@code HTTP 503}) when there is one and ends with at most
 * {@value #BODY_PREFIX_CHARS} characters of the response body on one line. Reasons never contain URLs other than
 * their redacted form. Stateless and thread-safe.
 */
public final class HttpOutcomes {
    /** The most response body characters recorded in a reason or result. */
    public static final int BODY_PREFIX_CHARS = 500;

    private HttpOutcomes() {}

    /** Sends {@code spec} with {@code client} and maps whatever happens; never throws an {@link HttpCallException}. */
    public static ExecutionOutcome call(GuardedHttpClient client, HttpRequestSpec spec) {
        return call(client, spec, Clock.systemUTC());
    }

    /** As {@link #call(GuardedHttpClient, HttpRequestSpec)}, with the clock used to read HTTP-date Retry-After. */
    public static ExecutionOutcome call(GuardedHttpClient client, HttpRequestSpec spec, Clock clock) {
        try {
            return of(client.execute(spec), clock);
        } catch (HttpCallException e) {
            return of(e);
        }
    }

    /** Maps a response by its status, reading an HTTP-date {@code Retry-After} against the system clock. */
    public static ExecutionOutcome of(HttpResult result) {
        return of(result, Clock.systemUTC());
    }

    /** Maps a response by its status. */
    public static ExecutionOutcome of(HttpResult result, Clock clock) {
        int status = result.status();
        String described = describe(result);
        if (result.isSuccessful()) {
            return ExecutionOutcome.succeeded(described);
        }
        if (status >= 300 && status < 400) {
            return ExecutionOutcome.permanent(
                    "HTTP " + status + ": redirects are not followed; configure the final URL", status);
        }
        if (status == 410) {
            return ExecutionOutcome.permanent(withPrefix("HTTP 410: the endpoint is gone", result), status);
        }
        if (status == 429 || (status >= 500 && status < 600)) {
            return retryable(result, clock, described, null);
        }
        return ExecutionOutcome.permanent(described, status);
    }

    /**
     * Maps a failure of the client as every {@link dev.postpurchase.core.spi.DeliveryException} is mapped ({@link
     * ExecutionOutcome#failed}): timeouts, connection failures and oversized responses retryable, the rest permanent.
     */
    public static ExecutionOutcome of(HttpCallException failure) {
        return ExecutionOutcome.failed(failure);
    }

    /**
     * Maps a response whose every failure is left to the run's retry policy (a policy on status codes decides what
     * is retried): 2xx succeeded, any other status a retryable failure with the status and {@code Retry-After}.
     *
     * @param prefix put before the reason, for example which request of several it was; may be empty
     */
    public static ExecutionOutcome retryingEveryStatus(
            HttpResult result, Clock clock, String prefix, @Nullable String partialResult) {
        String described = prefix + describe(result);
        if (result.isSuccessful()) {
            return ExecutionOutcome.succeeded(described);
        }
        return retryable(result, clock, described, partialResult);
    }

    /**
     * A retryable failure for a response a contract does not accept: {@code reason}, the status and the response's
     * {@code Retry-After}.
     */
    public static ExecutionOutcome retryable(
            HttpResult result, Clock clock, String reason, @Nullable String partialResult) {
        Duration retryAfter = parseRetryAfter(result.header("Retry-After"), clock);
        return ExecutionOutcome.retry(new Failure(reason, result.status(), false, retryAfter), partialResult);
    }

    /** {@code HTTP <status>}, followed by {@code : <body prefix>} when the body is not empty. */
    public static String describe(HttpResult result) {
        return withPrefix("HTTP " + result.status(), result);
    }

    /**
     * Reads a {@code Retry-After} value: delta seconds ({@code 120}) or an HTTP date
     * ({@code Wed, 21 Oct 2015 07:28:00 GMT}), relative to {@code clock}. A date in the past gives zero.
     *
     * @return the delay, or null if the value is absent or unreadable
     */
    public static @Nullable Duration parseRetryAfter(@Nullable String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            Instant at =
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration delta = Duration.between(clock.instant(), at);
            return delta.isNegative() ? Duration.ZERO : delta;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String withPrefix(String head, HttpResult result) {
        String prefix = result.bodyPrefix(BODY_PREFIX_CHARS);
        return prefix.isEmpty() ? head : head + ": " + prefix;
    }
}
