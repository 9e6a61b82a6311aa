package dev.postpurchase.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuerySignatureTest {
    private static final long NOW = 1_767_225_600L;
    private final WebhookSecret secret = WebhookSecret.generate();
    private final StandardWebhookVerifier verifier = StandardWebhookVerifier.builder()
            .secret(secret)
            .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
            .build();
    private final String canonical =
            CanonicalQuery.of(Map.of("order_id", "order-1", "quantity", "2", "note", "50% off & more"));
    private final Map<String, String> headers =
            StandardWebhookSigner.of(secret).headers("msg_q1", NOW, canonical.getBytes(StandardCharsets.UTF_8));

    @Test
    void verifiesTheCanonicalQueryAsSentAndAfterAProxyReencodedAndReorderedIt() {
        assertThat(verifier.verifyQuery(canonical, headers).id()).isEqualTo("msg_q1");
        assertThat(verifier.verifyQuery("quantity=2&note=50%25+off+%26+more&order_id=order-1", headers)
                        .id())
                .isEqualTo("msg_q1");
    }

    @Test
    void verifiesTheDecodedParametersOfAFramework() {
        Map<String, Object> parameters =
                Map.of("order_id", new String[] {"order-1"}, "quantity", List.of("2"), "note", "50% off & more");
        assertThat(verifier.verifyQueryParameters(parameters, headers).id()).isEqualTo("msg_q1");
    }

    @Test
    void rejectsAChangedAddedOrRemovedParameter() {
        assertThatThrownBy(() -> verifier.verifyQuery(canonical.replace("quantity=2", "quantity=3"), headers))
                .isInstanceOf(SignatureMismatchException.class);
        assertThatThrownBy(() -> verifier.verifyQuery(canonical + "&extra=1", headers))
                .isInstanceOf(SignatureMismatchException.class);
        assertThatThrownBy(() -> verifier.verifyQuery("order_id=order-1&quantity=2", headers))
                .isInstanceOf(SignatureMismatchException.class);
        assertThatThrownBy(() -> verifier.verifyQuery(null, headers)).isInstanceOf(SignatureMismatchException.class);
    }

    @Test
    void rejectsAMalformedQueryAsAVerificationFailure() {
        assertThatThrownBy(() -> verifier.verifyQuery("order_id=%zz", headers))
                .isExactlyInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("not well-formed");
    }

    @Test
    void stillChecksTheTimestampAndTheHeaders() {
        StandardWebhookVerifier later = StandardWebhookVerifier.builder()
                .secret(secret)
                .clock(Clock.fixed(Instant.ofEpochSecond(NOW + 301), ZoneOffset.UTC))
                .build();
        assertThatThrownBy(() -> later.verifyQuery(canonical, headers)).isInstanceOf(InvalidTimestampException.class);
        assertThatThrownBy(() -> verifier.verifyQuery(canonical, Map.of("webhook-id", "msg_q1")))
                .isInstanceOf(MissingHeaderException.class);
    }
}
