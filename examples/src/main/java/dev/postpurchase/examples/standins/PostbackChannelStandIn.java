package dev.postpurchase.examples.standins;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.examples.standins.StandInServer.Request;
import dev.postpurchase.examples.standins.StandInServer.Response;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookVerificationException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A postback channel (an automation tool, a Slack relay, the merchant's own endpoint): verifies the Standard
 * Webhooks signature on the raw body, then keeps the notification's {@code type} and {@code event_id}. Answers 204, or
 * 401 when the signature does not verify.
 */
public final class PostbackChannelStandIn implements StandInServer.Handler {
    /** One verified notification. */
    public record Notification(String webhookId, String type, String eventId) {}

    private final StandardWebhookVerifier verifier;
    private final List<Notification> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejected = new AtomicInteger();

    public PostbackChannelStandIn(StandardWebhookVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Response handle(Request request) throws Exception {
        String id;
        try {
            id = verifier.verify(request.body(), request.headers()).id();
        } catch (WebhookVerificationException e) {
            rejected.incrementAndGet();
            return Response.text(401, "signature check failed: " + e.getMessage());
        }
        var json = PostpurchaseJson.mapper().readTree(request.body());
        received.add(new Notification(
                id, json.path("type").asText(""), json.path("event_id").asText("")));
        return Response.empty(204);
    }

    /** The notifications accepted with a valid signature, in arrival order. */
    public List<Notification> received() {
        return List.copyOf(received);
    }

    /** Deliveries refused because their signature did not verify. */
    public int rejected() {
        return rejected.get();
    }
}
