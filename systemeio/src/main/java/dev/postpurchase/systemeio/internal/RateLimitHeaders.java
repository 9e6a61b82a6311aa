package dev.postpurchase.systemeio.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads Systeme.io's rate-limit headers. {@code Retry-After} is delta-seconds or an HTTP date. The format of
 * {@code X-RateLimit-Refill} is not documented, so it is read as whatever it looks like: delta-seconds, Unix
 * seconds, Unix milliseconds, an HTTP date or an ISO-8601 instant. Waits are never negative and capped at a day.
 */
public final class RateLimitHeaders {
    public static final String RETRY_AFTER = "Retry-After";
    public static final String LIMIT = "X-RateLimit-Limit";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String REFILL = "X-RateLimit-Refill";

    private static final Duration MAX = Duration.ofDays(1);
    private static final BigDecimal UNIX_SECONDS_FROM = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal UNIX_MILLIS_FROM = BigDecimal.valueOf(1_000_000_000_000L);

    private RateLimitHeaders() {}

    /** The wait a 429 asks for: {@code Retry-After} first, then {@code X-RateLimit-Refill}. */
    public static Optional<Duration> waitOf(ApiResponse response, Instant now) {
        Optional<Duration> retryAfter = retryAfter(response.header(RETRY_AFTER), now);
        return retryAfter.isPresent() ? retryAfter : refill(response.header(REFILL), now);
    }

    /**
     * When a successful response says no quota is left ({@code X-RateLimit-Remaining: 0}), the wait until the next
     * refill; empty otherwise.
     */
    public static Optional<Duration> exhaustedFor(ApiResponse response, Instant now) {
        String remaining = response.header(REMAINING);
        if (remaining == null) {
            return Optional.empty();
        }
        try {
            if (new BigDecimal(remaining.strip()).signum() > 0) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return refill(response.header(REFILL), now);
    }

    /** {@code Retry-After}: delta-seconds or HTTP date. */
    public static Optional<Duration> retryAfter(@Nullable String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        BigDecimal number = number(v);
        if (number != null) {
            return Optional.of(clamp(seconds(number)));
        }
        return httpDate(v).map(at -> clamp(Duration.between(now, at)));
    }

    /** {@code X-RateLimit-Refill}: delta-seconds, Unix seconds or milliseconds, HTTP date or ISO-8601 instant. */
    public static Optional<Duration> refill(@Nullable String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        BigDecimal number = number(v);
        if (number != null) {
            if (number.compareTo(UNIX_MILLIS_FROM) >= 0) {
                return Optional.of(clamp(Duration.between(now, Instant.ofEpochMilli(number.longValue()))));
            }
            if (number.compareTo(UNIX_SECONDS_FROM) >= 0) {
                Instant at = Instant.ofEpochMilli(number.movePointRight(3).longValue());
                return Optional.of(clamp(Duration.between(now, at)));
            }
            return Optional.of(clamp(seconds(number)));
        }
        Optional<Instant> date = httpDate(v);
        if (date.isEmpty()) {
            try {
                date = Optional.of(
                        ZonedDateTime.parse(v, DateTimeFormatter.ISO_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return date.map(at -> clamp(Duration.between(now, at)));
    }

    private static @Nullable BigDecimal number(String v) {
        if (!v.matches("\\d{1,15}(\\.\\d{1,9})?")) {
            return null;
        }
        return new BigDecimal(v);
    }

    private static Duration seconds(BigDecimal seconds) {
        return Duration.ofMillis(seconds.movePointRight(3)
                .setScale(0, java.math.RoundingMode.CEILING)
                .longValue());
    }

    private static Optional<Instant> httpDate(String v) {
        try {
            return Optional.of(
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration clamp(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
