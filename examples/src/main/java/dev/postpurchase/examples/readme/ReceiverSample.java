package dev.postpurchase.examples.readme;

import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.VerifiedWebhook;
import dev.postpurchase.webhook.WebhookSecret;
import dev.postpurchase.webhook.WebhookVerificationException;
import java.util.List;
import java.util.Map;

/** The README's receiver-side verification sample. */
public final class ReceiverSample {
    private ReceiverSample() {}

    /** Returns the HTTP status a receiver answers. */
    public static int receive(String whsecFromTheDashboard, byte[] rawBody, Map<String, List<String>> headers) {
        // README:start verify-webhook
        StandardWebhookVerifier verifier = StandardWebhookVerifier.of(WebhookSecret.parse(whsecFromTheDashboard));
        try {
            VerifiedWebhook webhook = verifier.verify(rawBody, headers); // raw bytes, before any JSON parsing
            // webhook.id() is stable across retries: skip it if you processed it already
            return 204;
        } catch (WebhookVerificationException e) { // missing header, stale timestamp or bad signature
            return 401;
        }
        // README:end verify-webhook
    }
}
