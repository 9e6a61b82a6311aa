package dev.postpurchase.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.retry.ExponentialBackoffRetry;
import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.retry.StatusCodeRetry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Failure PLAIN = Failure.of("boom");

    @Test
    void fixedIntervalRetriesEveryIntervalUpToItsMaximum() {
        RetryPolicy policy = RetryPolicy.fixed(Duration.ofMinutes(10), 4);

        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(policy.nextDelay(attempt, PLAIN)).contains(Duration.ofMinutes(10));
        }
        assertThat(policy.nextDelay(5, PLAIN)).isEmpty();
    }

    @Test
    void exponentialBackoffGrowsIsCappedAndJittered() {
        RetryPolicy policy = new ExponentialBackoffRetry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 10, 0.2);

        for (int i = 0; i < 200; i++) {
            assertThat(policy.nextDelay(1, PLAIN).orElseThrow())
                    .isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
            assertThat(policy.nextDelay(3, PLAIN).orElseThrow())
                    .isBetween(Duration.ofMillis(3200), Duration.ofMillis(4800));
            assertThat(policy.nextDelay(10, PLAIN).orElseThrow())
                    .isBetween(Duration.ofSeconds(24), Duration.ofSeconds(36));
        }
        assertThat(policy.nextDelay(11, PLAIN)).isEmpty();
    }

    @Test
    void statusCodePolicyRetriesOnlyListedCodesAndNeverAfterATimeout() {
        RetryPolicy policy = RetryPolicy.onStatusCodes(StatusCodeRetry.DEFAULT_CODES, Duration.ofMinutes(1), 3);

        assertThat(policy.nextDelay(1, new Failure("503", 503, false, null))).contains(Duration.ofMinutes(1));
        assertThat(policy.nextDelay(1, new Failure("404", 404, false, null))).isEmpty();
        assertThat(policy.nextDelay(1, new Failure("timeout", null, true, null)))
                .isEmpty();
        assertThat(policy.nextDelay(1, Failure.of("connection refused"))).isEmpty();
        assertThat(policy.nextDelay(4, new Failure("503", 503, false, null))).isEmpty();
    }

    @Test
    void aRetryAfterLongerThanThePolicyDelayIsHonouredAndCapped() {
        RetryPolicy policy = RetryPolicy.fixed(Duration.ofSeconds(5), 3);

        assertThat(policy.nextDelay(1, new Failure("429", 429, false, Duration.ofSeconds(120))))
                .contains(Duration.ofSeconds(120));
        assertThat(policy.nextDelay(1, new Failure("429", 429, false, Duration.ofSeconds(1))))
                .contains(Duration.ofSeconds(5));
        assertThat(policy.nextDelay(1, new Failure("429", 429, false, Duration.ofDays(30))))
                .contains(RetryPolicy.MAX_RETRY_AFTER);
    }

    @Test
    void policiesSurviveAJsonRoundTrip() {
        for (RetryPolicy policy : List.of(
                RetryPolicy.none(),
                RetryPolicy.fixed(Duration.ofMinutes(10), 4),
                RetryPolicy.exponential(Duration.ofSeconds(5), Duration.ofHours(1), 8),
                RetryPolicy.onStatusCodes(Set.of(500, 429), Duration.ofSeconds(30), 3))) {
            String json = PostpurchaseJson.write(policy);
            assertThat(PostpurchaseJson.mapper()
                            .convertValue(
                                    PostpurchaseJson.read(json, RetryPolicy.class, "retryPolicy"), RetryPolicy.class))
                    .isEqualTo(policy);
        }
    }

    @Test
    void invalidPoliciesNameTheirField() {
        assertThatThrownBy(() -> RetryPolicy.fixed(Duration.ZERO, 1))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("interval");
        assertThatThrownBy(() -> RetryPolicy.fixed(Duration.ofSeconds(1), -1))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> RetryPolicy.onStatusCodes(Set.of(99), Duration.ofSeconds(1), 1))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("statusCodes");
    }
}
