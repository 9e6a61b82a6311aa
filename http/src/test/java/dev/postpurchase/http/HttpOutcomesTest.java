package dev.postpurchase.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.ExecutionOutcome.PermanentFailure;
import dev.postpurchase.core.spi.ExecutionOutcome.RetryableFailure;
import dev.postpurchase.core.spi.ExecutionOutcome.Succeeded;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpOutcomesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2015-10-21T07:26:00Z"), ZoneOffset.UTC);

    private static HttpResult result(int status, String body, Map<String, List<String>> headers) {
        return new HttpResult(status, headers, body.getBytes(StandardCharsets.UTF_8), false, Duration.ofMillis(5));
    }

    private static HttpResult result(int status, String body) {
        return result(status, body, Map.of());
    }

    @Test
    void a2xxIsASuccessRecordingTheStatusAndBodyPrefix() {
        ExecutionOutcome outcome = HttpOutcomes.of(result(204, ""), CLOCK);
        assertThat(outcome).isEqualTo(new Succeeded("HTTP 204"));
        assertThat(HttpOutcomes.of(result(200, "{\"ok\":true}"), CLOCK))
                .isEqualTo(new Succeeded("HTTP 200: {\"ok\":true}"));
    }

    @Test
    void a410MeansTheEndpointIsGoneForGood() {
        assertThat(HttpOutcomes.of(result(410, "gone"), CLOCK))
                .isEqualTo(new PermanentFailure("HTTP 410: the endpoint is gone: gone", 410, null));
    }

    @Test
    void a429IsRetryableHonouringRetryAfterInSeconds() {
        ExecutionOutcome outcome =
                HttpOutcomes.of(result(429, "slow down", Map.of("Retry-After", List.of("120"))), CLOCK);
        assertThat(outcome).isInstanceOfSatisfying(RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isEqualTo(429);
            assertThat(r.failure().retryAfter()).isEqualTo(Duration.ofSeconds(120));
            assertThat(r.failure().timedOut()).isFalse();
            assertThat(r.failure().reason()).isEqualTo("HTTP 429: slow down");
        });
    }

    @Test
    void a503IsRetryableHonouringRetryAfterAsAnHttpDate() {
        ExecutionOutcome outcome = HttpOutcomes.of(
                result(503, "", Map.of("retry-after", List.of("Wed, 21 Oct 2015 07:28:00 GMT"))), CLOCK);
        assertThat(outcome).isInstanceOfSatisfying(RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isEqualTo(503);
            assertThat(r.failure().retryAfter()).isEqualTo(Duration.ofMinutes(2));
        });
    }

    @Test
    void a500WithoutRetryAfterIsRetryable() {
        assertThat(HttpOutcomes.of(result(500, "oops"), CLOCK)).isInstanceOfSatisfying(RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isEqualTo(500);
            assertThat(r.failure().retryAfter()).isNull();
        });
    }

    @Test
    void otherClientErrorsArePermanentWithABoundedOneLineBodyPrefix() {
        String body = "bad\r\nrequest " + "x".repeat(2000);
        ExecutionOutcome outcome = HttpOutcomes.of(result(400, body), CLOCK);
        assertThat(outcome).isInstanceOfSatisfying(PermanentFailure.class, p -> {
            assertThat(p.statusCode()).isEqualTo(400);
            assertThat(p.reason()).startsWith("HTTP 400: bad  request xxx").doesNotContain("\n");
            assertThat(p.reason().length()).isLessThanOrEqualTo("HTTP 400: ".length() + HttpOutcomes.BODY_PREFIX_CHARS);
        });
        assertThat(HttpOutcomes.of(result(404, ""), CLOCK)).isEqualTo(new PermanentFailure("HTTP 404", 404, null));
    }

    @Test
    void aRedirectIsAPermanentFailure() {
        assertThat(HttpOutcomes.of(result(301, "", Map.of("Location", List.of("https://elsewhere/?k=secret"))), CLOCK))
                .isInstanceOfSatisfying(PermanentFailure.class, p -> {
                    assertThat(p.statusCode()).isEqualTo(301);
                    assertThat(p.reason())
                            .contains("redirects are not followed")
                            .doesNotContain("secret");
                });
    }

    @Test
    void timeoutsAreRetryableAndFlaggedAsTimedOut() {
        ExecutionOutcome outcome = HttpOutcomes.of(new HttpTimeoutException(
                "https://x.example", "timed out calling https://x.example", new SocketTimeoutException()));
        assertThat(outcome).isInstanceOfSatisfying(RetryableFailure.class, r -> assertThat(
                        r.failure().timedOut())
                .isTrue());
    }

    @Test
    void connectionFailuresAreRetryableAndBlockedOrInvalidTargetsPermanent() {
        assertThat(HttpOutcomes.of(new HttpConnectionException("u", "connection failure", new IOException())))
                .isInstanceOf(RetryableFailure.class);
        assertThat(HttpOutcomes.of(new BlockedAddressException("u", "refused"))).isInstanceOf(PermanentFailure.class);
        assertThat(HttpOutcomes.of(new InvalidUrlException("u", "url: must use https")))
                .isEqualTo(new PermanentFailure("url: must use https", null, null));
        assertThat(HttpOutcomes.of(new HttpResponseTooLargeException("u", 200, 10)))
                .isInstanceOfSatisfying(
                        RetryableFailure.class,
                        r -> assertThat(r.failure().statusCode()).isEqualTo(200));
    }

    @Test
    void unreadableOrPastRetryAfterValuesAreHandled() {
        assertThat(HttpOutcomes.parseRetryAfter("soon", CLOCK)).isNull();
        assertThat(HttpOutcomes.parseRetryAfter(null, CLOCK)).isNull();
        assertThat(HttpOutcomes.parseRetryAfter("Tue, 20 Oct 2015 07:28:00 GMT", CLOCK))
                .isEqualTo(Duration.ZERO);
        assertThat(HttpOutcomes.parseRetryAfter(" 0 ", CLOCK)).isEqualTo(Duration.ZERO);
    }
}
