package dev.postpurchase.systemeio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.systemeio.internal.ApiResponse;
import dev.postpurchase.systemeio.internal.RateLimitHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private static ApiResponse response(Map<String, String> headers) {
        return new ApiResponse(429, headers, "");
    }

    @Test
    void retryAfterInSecondsWins() {
        assertThat(RateLimitHeaders.waitOf(response(Map.of("Retry-After", "5", "X-RateLimit-Refill", "30")), NOW))
                .contains(Duration.ofSeconds(5));
    }

    @Test
    void retryAfterAsHttpDate() {
        assertThat(RateLimitHeaders.waitOf(response(Map.of("retry-after", "Sat, 01 Mar 2025 12:00:45 GMT")), NOW))
                .contains(Duration.ofSeconds(45));
    }

    @Test
    void refillAsDeltaSecondsUnixSecondsUnixMillisDateOrIsoInstant() {
        assertThat(RateLimitHeaders.refill("30", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RateLimitHeaders.refill("1.5", NOW)).contains(Duration.ofMillis(1500));
        assertThat(RateLimitHeaders.refill(String.valueOf(NOW.getEpochSecond() + 20), NOW))
                .contains(Duration.ofSeconds(20));
        assertThat(RateLimitHeaders.refill(String.valueOf(NOW.toEpochMilli() + 2500), NOW))
                .contains(Duration.ofMillis(2500));
        assertThat(RateLimitHeaders.refill("Sat, 01 Mar 2025 12:01:00 GMT", NOW))
                .contains(Duration.ofMinutes(1));
        assertThat(RateLimitHeaders.refill("2025-03-01T12:00:10+00:00", NOW)).contains(Duration.ofSeconds(10));
    }

    @Test
    void pastTimesAreZeroAndHugeWaitsAreCappedAtADay() {
        assertThat(RateLimitHeaders.refill(String.valueOf(NOW.getEpochSecond() - 100), NOW))
                .contains(Duration.ZERO);
        assertThat(RateLimitHeaders.retryAfter("99999999", NOW)).contains(Duration.ofDays(1));
    }

    @Test
    void unreadableValuesAreIgnored() {
        assertThat(RateLimitHeaders.waitOf(response(Map.of("Retry-After", "soon")), NOW))
                .isEmpty();
        assertThat(RateLimitHeaders.refill("-5", NOW)).isEmpty();
        assertThat(RateLimitHeaders.waitOf(response(Map.of()), NOW)).isEmpty();
    }

    @Test
    void aSuccessReportingNoQuotaLeftAsksForAPauseUntilTheRefill() {
        ApiResponse spent = new ApiResponse(200, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Refill", "8"), "");
        ApiResponse plenty = new ApiResponse(200, Map.of("X-RateLimit-Remaining", "12", "X-RateLimit-Refill", "8"), "");

        assertThat(RateLimitHeaders.exhaustedFor(spent, NOW)).contains(Duration.ofSeconds(8));
        assertThat(RateLimitHeaders.exhaustedFor(plenty, NOW)).isEmpty();
    }
}
