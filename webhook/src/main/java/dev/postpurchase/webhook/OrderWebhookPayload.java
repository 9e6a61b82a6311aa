package dev.postpurchase.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.order.Address;
import dev.postpurchase.core.order.Affiliate;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Money;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.Totals;
import dev.postpurchase.core.order.Transaction;
import dev.postpurchase.core.order.Trial;
import dev.postpurchase.webhook.internal.JsonDocuments;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The versioned JSON document the webhook action POSTs: one per order, never one per item.
 *
 * <pre>{@code
 * {"type": "order.paid", "version": 2, "id": "msg_...", "timestamp": "2026-01-01T00:00:00Z", "data": {...}}
 * }</pre>
 *
 * <p>{@code id} equals the {@code webhook-id} header (stable across retries); {@code timestamp} is when the order was
 * paid, so the body is byte-identical on every attempt. {@code data} describes the order with every amount as both
 * integer minor units and an exact decimal string ({@code {"minor": 1999, "decimal": "19.99", "currency": "EUR"}}),
 * every multi-valued field as a JSON array (never comma-joined), and every optional field present with {@code null}
 * when unknown. A line whose amounts are unknown ({@code LineItem.amountsKnown()} false) has {@code "amounts_known":
 * false} and {@code null} amounts: no price is ever made up; the order's totals always hold. {@code data.payment} is
 * {@code first}, {@code renewal} or {@code instalment}. Field names are snake_case. The JSON Schema (draft 2020-12) ships in the jar at
 * {@value #SCHEMA_RESOURCE}; {@code PAYLOAD.md} documents every field.
 *
 * <p>A breaking change to the shape bumps {@link #VERSION} and ships a new schema; fields may be added within a
 * version, so receivers must ignore unknown fields. Immutable and thread-safe.
 */
public final class OrderWebhookPayload {
    /** The event type of a paid order. */
    public static final String TYPE_ORDER_PAID = "order.paid";

    /**
     * The payload version this class writes. Version 2 added {@code data.payment} and {@code items[].amounts_known}
     * and made the item amounts nullable (null when unknown), which a version 1 receiver would not expect.
     */
    public static final int VERSION = 2;

    /** Class-path location of the JSON Schema of this version. */
    public static final String SCHEMA_RESOURCE = "/dev/postpurchase/webhook/order-webhook-v2.schema.json";

    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

    private final String type;
    private final String id;
    private final Instant timestamp;
    private final ObjectNode document;

    private OrderWebhookPayload(String type, String id, Instant timestamp, ObjectNode document) {
        this.type = type;
        this.id = id;
        this.timestamp = timestamp;
        this.document = document;
    }

    /** The {@code order.paid} payload of {@code order}, timestamped with the payment time. */
    public static OrderWebhookPayload orderPaid(Order order, String webhookId) {
        return of(TYPE_ORDER_PAID, order, webhookId, order.transaction().paidAt());
    }

    /**
     * A payload of any order event type.
     *
     * @param type a dotted lower-case event type such as {@code order.paid}
     * @param webhookId the message id, equal to the {@code webhook-id} header
     * @param timestamp when the event happened
     */
    public static OrderWebhookPayload of(String type, Order order, String webhookId, Instant timestamp) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(timestamp, "timestamp");
        if (!EVENT_TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("type: must be dotted lower-case, for example order.paid");
        }
        ObjectMapper mapper = PostpurchaseJson.mapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("type", type);
        root.put("version", VERSION);
        root.put("id", webhookId);
        root.put("timestamp", iso(timestamp));
        root.set("data", data(mapper, order));
        return new OrderWebhookPayload(type, webhookId, timestamp, root);
    }

    /** The event type, for example {@code order.paid}. */
    public String type() {
        return type;
    }

    /** The message id, equal to the {@code webhook-id} header. */
    public String id() {
        return id;
    }

    /** When the event happened. */
    public Instant timestamp() {
        return timestamp;
    }

    /** The payload version. */
    public int version() {
        return VERSION;
    }

    /** A copy of the whole document as a JSON tree. */
    public ObjectNode toJsonTree() {
        return document.deepCopy();
    }

    /** The document as compact JSON text. */
    public String toJson() {
        return JsonDocuments.compact(document, "the webhook payload");
    }

    /** The document as UTF-8 bytes: exactly what is signed and sent. */
    public byte[] toBytes() {
        // through the text, not Jackson's byte writer: that one escapes characters outside the BMP as \\u pairs, so
        // the bytes would differ from toJson()'s
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OrderWebhookPayload[type=" + type + ", id=" + id + ", version=" + VERSION + "]";
    }

    private static ObjectNode data(ObjectMapper mapper, Order order) {
        String currency = order.currency();
        ObjectNode data = mapper.createObjectNode();
        data.put("order_id", order.id());
        data.put("checkout_id", order.checkoutId());
        data.put("offer_id", order.offerId());
        ArrayNode offerIds = data.putArray("offer_ids");
        order.offerIds().forEach(offerIds::add);
        ArrayNode productIds = data.putArray("product_ids");
        order.productIds().forEach(productIds::add);
        data.put("source", order.source().name().toLowerCase(Locale.ROOT));
        data.put("language", order.language());
        ArrayNode languages = data.putArray("checkout_languages");
        order.checkoutLanguages().forEach(languages::add);
        data.put("currency", currency);
        data.put("marketing_opt_in", order.marketingOptIn());
        data.put("payment", order.payment().name().toLowerCase(Locale.ROOT));
        data.set("customer", customer(mapper, order.customer()));
        ArrayNode items = data.putArray("items");
        for (LineItem item : order.items()) {
            ObjectNode node = items.addObject();
            node.put("product_id", item.productId());
            node.put("offer_id", item.offerId());
            node.put("title", item.title());
            node.put("quantity", item.quantity());
            node.put("amounts_known", item.amountsKnown());
            node.set("unit_price", amountOrNull(mapper, item, item.unitPrice(), currency));
            node.set("subtotal", amountOrNull(mapper, item, item.subtotal(), currency));
            node.set("discount", amountOrNull(mapper, item, item.discount(), currency));
            node.set("tax", amountOrNull(mapper, item, item.tax(), currency));
            node.set("total", amountOrNull(mapper, item, item.total(), currency));
        }
        Totals totals = order.totals();
        ObjectNode totalsNode = data.putObject("totals");
        totalsNode.set("subtotal", amount(mapper, totals.subtotal(), currency));
        totalsNode.set("discount", amount(mapper, totals.discount(), currency));
        totalsNode.set("tax", amount(mapper, totals.tax(), currency));
        totalsNode.set("total", amount(mapper, totals.total(), currency));
        Transaction tx = order.transaction();
        ObjectNode txNode = data.putObject("transaction");
        txNode.put("id", tx.id());
        txNode.put("processor", tx.processor());
        txNode.put("method", tx.method());
        txNode.put("coupon", tx.coupon());
        txNode.put("paid_at", iso(tx.paidAt()));
        txNode.set("amount", amount(mapper, totals.total(), currency));
        Affiliate affiliate = order.affiliate();
        if (affiliate == null) {
            data.putNull("affiliate");
        } else {
            ObjectNode a = data.putObject("affiliate");
            a.put("id", affiliate.id());
            a.put("name", affiliate.name());
        }
        Trial trial = order.trial();
        if (trial == null) {
            data.putNull("trial");
        } else {
            ObjectNode t = data.putObject("trial");
            t.put("days", trial.days());
            t.put("ends_at", trial.endsAt() == null ? null : iso(trial.endsAt()));
        }
        return data;
    }

    private static ObjectNode customer(ObjectMapper mapper, Customer customer) {
        ObjectNode node = mapper.createObjectNode();
        node.put("email", customer.email());
        node.put("first_name", customer.firstName());
        node.put("last_name", customer.lastName());
        node.put("phone", customer.phone());
        node.put("business_id", customer.businessId());
        Address address = customer.address();
        if (address == null) {
            node.putNull("address");
        } else {
            ObjectNode a = node.putObject("address");
            a.put("line1", address.line1());
            a.put("line2", address.line2());
            a.put("postal_code", address.postalCode());
            a.put("city", address.city());
            a.put("region", address.region());
            a.put("country", address.country());
        }
        ObjectNode fields = node.putObject("custom_fields");
        customer.customFields().forEach(fields::put);
        return node;
    }

    /** The amount, or JSON null when the line's amounts are unknown. */
    private static JsonNode amountOrNull(ObjectMapper mapper, LineItem item, @Nullable Long minor, String currency) {
        return item.amountsKnown() && minor != null ? amount(mapper, minor, currency) : mapper.nullNode();
    }

    private static ObjectNode amount(ObjectMapper mapper, long minor, String currency) {
        ObjectNode node = mapper.createObjectNode();
        node.put("minor", minor);
        node.put("decimal", Money.toDecimalString(minor, currency));
        node.put("currency", currency);
        return node;
    }

    private static String iso(@Nullable Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(Objects.requireNonNull(instant, "instant"));
    }
}
