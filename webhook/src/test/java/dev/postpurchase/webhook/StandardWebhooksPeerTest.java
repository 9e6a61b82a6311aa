package dev.postpurchase.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks with the reference Java library {@code com.standardwebhooks:standardwebhooks:1.2.0}, which verifies
 * against the system clock only: every message here is signed at the current time.
 */
class StandardWebhooksPeerTest {
    private final WebhookSecret secret = WebhookSecret.generate();

    private static Map<String, List<String>> asLists(Map<String, String> headers) {
        return Map.of(
                "webhook-id", List.of(headers.get("webhook-id")),
                "webhook-timestamp", List.of(headers.get("webhook-timestamp")),
                "webhook-signature", List.of(headers.get("webhook-signature")));
    }

    @Test
    void aPayloadSignedByOurSignerVerifiesWithTheReferenceLibrary() throws Exception {
        String payload = "{\"type\":\"order.paid\",\"data\":{\"name\":\"Zoë €\"}}";
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers =
                StandardWebhookSigner.of(secret).headers("msg_peer1", now, payload.getBytes(StandardCharsets.UTF_8));

        new Webhook(secret.encoded()).verify(payload, asLists(headers));
    }

    @Test
    void bothSignaturesOfARotationVerifyWithTheReferenceLibraryHoldingEitherSecret() throws Exception {
        WebhookSecret next = WebhookSecret.generate();
        String payload = "{\"a\":1}";
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers = StandardWebhookSigner.of(next, secret)
                .headers("msg_peer2", now, payload.getBytes(StandardCharsets.UTF_8));

        new Webhook(secret.encoded()).verify(payload, asLists(headers));
        new Webhook(next.encoded()).verify(payload, asLists(headers));
    }

    @Test
    void aPayloadSignedByTheReferenceLibraryVerifiesWithOurVerifier() throws Exception {
        String payload = "{\"test\": 2432232314}";
        long now = Instant.now().getEpochSecond();
        String signature = new Webhook(secret.encoded()).sign("msg_peer3", now, payload);

        VerifiedWebhook verified = StandardWebhookVerifier.of(secret)
                .verify(
                        payload,
                        Map.of(
                                "Webhook-Id",
                                "msg_peer3",
                                "Webhook-Timestamp",
                                Long.toString(now),
                                "Webhook-Signature",
                                signature));

        assertThat(verified.id()).isEqualTo("msg_peer3");
        assertThat(verified.timestamp()).isEqualTo(Instant.ofEpochSecond(now));
    }

    @Test
    void theReferenceLibraryRejectsOurSignatureOverAnotherPayload() {
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers = StandardWebhookSigner.of(secret)
                .headers("msg_peer4", now, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new Webhook(secret.encoded()).verify("{\"a\":2}", asLists(headers)))
                .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
    }

    @Test
    void aGetSignatureIsAStandardSignatureOverTheCanonicalQuerySoTheReferenceLibraryAgrees() throws Exception {
        // The sender puts the canonical query on the wire; a receiver may verify it with any Standard Webhooks
        // library by passing the canonical query as the payload, or with verifyQuery on the raw query string.
        String canonical = CanonicalQuery.of(Map.of("order_id", "order-1", "customer_name", "Aino Virtanen"));
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers =
                StandardWebhookSigner.of(secret).headers("msg_peer5", now, canonical.getBytes(StandardCharsets.UTF_8));
        new Webhook(secret.encoded()).verify(canonical, asLists(headers));

        String peerSignature = new Webhook(secret.encoded()).sign("msg_peer6", now, canonical);
        VerifiedWebhook verified = StandardWebhookVerifier.of(secret)
                .verifyQuery(
                        "customer_name=Aino+Virtanen&order_id=order-1",
                        Map.of(
                                "webhook-id",
                                "msg_peer6",
                                "webhook-timestamp",
                                Long.toString(now),
                                "webhook-signature",
                                peerSignature));
        assertThat(verified.id()).isEqualTo("msg_peer6");
    }
}
