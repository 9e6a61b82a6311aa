package dev.postpurchase.examples.standins;

import dev.postpurchase.examples.standins.StandInServer.Request;
import dev.postpurchase.examples.standins.StandInServer.Response;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.VerifiedWebhook;
import dev.postpurchase.webhook.WebhookVerificationException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CRM that receives order webhooks the way a receiver should: it verifies the Standard Webhooks signature on the
 * raw body before reading anything, and deduplicates by {@code webhook-id}. To show a retry it answers the first
 * {@code failFirst} deliveries with 503.
 */
public final class CrmWebhookReceiver implements StandInServer.Handler {
    private final StandardWebhookVerifier verifier;
    private final AtomicInteger failuresLeft;
    private final List<String> acceptedIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger deliveries = new AtomicInteger();

    public CrmWebhookReceiver(StandardWebhookVerifier verifier, int failFirst) {
        this.verifier = verifier;
        this.failuresLeft = new AtomicInteger(failFirst);
    }

    @Override
    public Response handle(Request request) {
        deliveries.incrementAndGet();
        VerifiedWebhook verified;
        try {
            verified = verifier.verify(request.body(), request.headers());
        } catch (WebhookVerificationException e) {
            rejected.incrementAndGet();
            return Response.text(401, "signature check failed: " + e.getMessage());
        }
        if (failuresLeft.getAndDecrement() > 0) {
            return Response.text(503, "CRM is busy, try again");
        }
        if (!acceptedIds.contains(verified.id())) {
            acceptedIds.add(verified.id());
        }
        return Response.json(200, "{\"received\":\"" + verified.id() + "\"}");
    }

    /** The webhook ids accepted with a valid signature, each once. */
    public List<String> acceptedIds() {
        return List.copyOf(acceptedIds);
    }

    public int rejected() {
        return rejected.get();
    }

    public int deliveries() {
        return deliveries.get();
    }
}
