package dev.postpurchase.webhook.postback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.event.Contact;
import dev.postpurchase.core.event.Funnel;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.SubscriptionInfo;
import dev.postpurchase.core.event.TransactionInfo;
import dev.postpurchase.core.order.Money;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.webhook.OrderWebhookPayload;
import dev.postpurchase.webhook.internal.JsonDocuments;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The versioned JSON document a postback POSTs for one {@link ShopEvent}:
 *
 * <pre>{@code
 * {"type": "refund.applied", "version": 2, "id": "msg_...", "event_id": "evt-1",
 *  "timestamp": "2026-01-01T00:00:00Z", "source": "admin",
 *  "data": {"order": {...} | null, "contact": {...} | null, "transaction": {...} | null,
 *           "subscription": {...} | null, "funnel": {...} | null, "attributes": {...}}}
 * }</pre>
 *
 * <p>{@code type} is the event type's {@link dev.postpurchase.core.event.ShopEventType#wireName() wire name},
 * {@code id} equals the {@code webhook-id} header (stable across retries of one delivery), {@code event_id} the
 * shop's event id (the same for every channel notified), {@code timestamp} when the event happened, so the body is
 * byte-identical on every attempt. Every {@code data} key is present for every event type, with {@code null} where
 * the object does not apply (an admin order has no funnel): receivers must check before reading a property.
 * {@code order} has the shape of the order webhook's {@code data} (see {@code PAYLOAD.md}); {@code POSTBACKS.md}
 * documents each event type. Fields may be added within a version; receivers must ignore unknown fields. Immutable
 * and thread-safe.
 */
public final class PostbackPayload {
    /**
     * The payload version this class writes: 2 since {@code data.order} took the shape of the order webhook's version
     * 2 ({@code payment}, {@code items[].amounts_known}, null item amounts when unknown).
     */
    public static final int VERSION = 2;

    private final ShopEvent event;
    private final String id;
    private final ObjectNode document;

    private PostbackPayload(ShopEvent event, String id, ObjectNode document) {
        this.event = event;
        this.id = id;
        this.document = document;
    }

    /** The payload of {@code event} for the delivery {@code webhookId}. */
    public static PostbackPayload of(ShopEvent event, String webhookId) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(webhookId, "webhookId");
        ObjectMapper mapper = PostpurchaseJson.mapper();
        ObjectNode root = mapper.createObjectNode();
        String type = event.type().wireName();
        root.put("type", type);
        root.put("version", VERSION);
        root.put("id", webhookId);
        root.put("event_id", event.id());
        root.put("timestamp", iso(event.occurredAt()));
        root.put("source", event.source().name().toLowerCase(Locale.ROOT));
        ObjectNode data = root.putObject("data");
        Order order = event.order();
        if (order == null) {
            data.putNull("order");
        } else {
            data.set(
                    "order",
                    OrderWebhookPayload.of(type, order, webhookId, event.occurredAt())
                            .toJsonTree()
                            .get("data"));
        }
        Contact contact = event.contact();
        if (contact == null) {
            data.putNull("contact");
        } else {
            ObjectNode c = data.putObject("contact");
            c.put("id", contact.id());
            c.put("email", contact.email());
            c.put("first_name", contact.firstName());
            c.put("last_name", contact.lastName());
        }
        TransactionInfo transaction = event.transaction();
        if (transaction == null) {
            data.putNull("transaction");
        } else {
            ObjectNode t = data.putObject("transaction");
            t.put("id", transaction.id());
            ObjectNode amount = t.putObject("amount");
            amount.put("minor", transaction.amount());
            amount.put("decimal", Money.toDecimalString(transaction.amount(), transaction.currency()));
            amount.put("currency", transaction.currency());
            t.put("processor", transaction.processor());
            t.put("decline_reason", transaction.declineReason());
        }
        SubscriptionInfo subscription = event.subscription();
        if (subscription == null) {
            data.putNull("subscription");
        } else {
            ObjectNode s = data.putObject("subscription");
            s.put("id", subscription.id());
            s.put("plan_id", subscription.planId());
            s.put("status", subscription.status());
            s.put("canceled_at", subscription.canceledAt() == null ? null : iso(subscription.canceledAt()));
        }
        Funnel funnel = event.funnel();
        if (funnel == null) {
            data.putNull("funnel");
        } else {
            ObjectNode f = data.putObject("funnel");
            f.put("id", funnel.id());
            f.put("name", funnel.name());
            f.put("step", funnel.step());
        }
        ObjectNode attributes = data.putObject("attributes");
        event.attributes().forEach(attributes::put);
        return new PostbackPayload(event, webhookId, root);
    }

    /** The event described. */
    public ShopEvent event() {
        return event;
    }

    /** The message id, equal to the {@code webhook-id} header. */
    public String id() {
        return id;
    }

    /** A copy of the document as a JSON tree. */
    public ObjectNode toJsonTree() {
        return document.deepCopy();
    }

    /** The document as compact JSON text. */
    public String toJson() {
        return JsonDocuments.compact(document, "the postback payload");
    }

    /** The document as UTF-8 bytes: exactly what is signed and sent. */
    public byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PostbackPayload[type=" + event.type().wireName() + ", id=" + id + ", event=" + event.id() + "]";
    }

    private static String iso(@Nullable Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(Objects.requireNonNull(instant, "instant"));
    }
}
