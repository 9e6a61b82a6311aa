package dev.postpurchase.kajabi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.kajabi.KajabiAffiliate;
import dev.postpurchase.kajabi.KajabiAmount;
import dev.postpurchase.kajabi.KajabiCartItem;
import dev.postpurchase.kajabi.KajabiCartOrder;
import dev.postpurchase.kajabi.KajabiCartPurchase;
import dev.postpurchase.kajabi.KajabiContactDetails;
import dev.postpurchase.kajabi.KajabiFormSubmission;
import dev.postpurchase.kajabi.KajabiMember;
import dev.postpurchase.kajabi.KajabiOffer;
import dev.postpurchase.kajabi.KajabiPaymentSucceeded;
import dev.postpurchase.kajabi.KajabiPaymentTransaction;
import dev.postpurchase.kajabi.KajabiPurchaseCreated;
import dev.postpurchase.kajabi.KajabiPurchaseTransaction;
import dev.postpurchase.kajabi.KajabiRecurringPayment;
import dev.postpurchase.kajabi.KajabiWebhook;
import dev.postpurchase.kajabi.KajabiWebhookKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads the four payload kinds from a JSON tree, tolerating the nested, prefixed and flat layouts. */
public final class PayloadReader {
    private PayloadReader() {}

    /**
     * A body ready to read: its fields in the offer-webhook layout and the kind it shows (null when unrecognised).
     *
     * @param apiHookEvent the event name when the body was an API hook delivery, whose event fixes its kind
     */
    public record Body(@Nullable KajabiWebhookKind kind, JsonNode fields, @Nullable String apiHookEvent) {}

    /**
     * Classifies a parsed JSON object: an API hook delivery ({@code "payload": [resources]}) is rewritten by {@link
     * ApiHookPayload}; any other body is {@link #unwrap unwrapped} and {@link #detect detected}.
     *
     * @throws dev.postpurchase.core.ValidationException on {@code payload} for an API hook delivery that cannot be
     *     read
     */
    public static Body body(JsonNode root) {
        if (ApiHookPayload.isDelivery(root)) {
            ApiHookPayload.Translated translated = ApiHookPayload.translate(root);
            return new Body(translated.kind(), translated.body(), translated.event());
        }
        JsonNode fields = unwrap(root);
        return new Body(detect(fields), fields, null);
    }

    /** Reads a body as {@code kind}. */
    public static KajabiWebhook read(KajabiWebhookKind kind, JsonNode body) {
        return switch (kind) {
            case PURCHASE_CREATED -> purchaseCreated(body);
            case PAYMENT_SUCCEEDED -> paymentSucceeded(body);
            case CART_PURCHASE -> cartPurchase(body);
            case FORM_SUBMISSION -> formSubmission(body);
        };
    }

    /**
     * A body holding only the {@code id} and {@code event} of {@code body}: a record read from {@code body} that
     * equals the record read from this carries nothing else.
     */
    public static JsonNode header(JsonNode body) {
        ObjectNode header = JsonNodeFactory.instance.objectNode();
        for (String name : List.of("id", "event")) {
            JsonNode value = body.get(name);
            if (value != null) {
                header.set(name, value);
            }
        }
        return header;
    }

    /**
     * The payload object itself: the root, or its {@code payload} object when Kajabi wrapped the fields in one (the
     * older {@code {"id", "event", "payload": {...}}} layout), with the root's {@code id} and {@code event} kept.
     */
    public static JsonNode unwrap(JsonNode root) {
        JsonNode payload = root.get("payload");
        if (payload == null || !payload.isObject() || looksLikePayload(root)) {
            return root;
        }
        ObjectNode merged = ((ObjectNode) payload).deepCopy();
        for (String header : List.of("id", "event")) {
            JsonNode value = root.get(header);
            if (value != null && !value.isNull() && !merged.has(header)) {
                merged.set(header, value);
            }
        }
        return merged;
    }

    /** The kind of an unwrapped payload by its shape, then by its {@code event} name; null when unrecognised. */
    public static @Nullable KajabiWebhookKind detect(JsonNode body) {
        if (isObject(body, "form") || isObject(body, "custom_fields")) {
            return KajabiWebhookKind.FORM_SUBMISSION;
        }
        JsonNode order = body.get("order");
        if ((order != null && order.isObject() && order.has("order_items")) || body.has("order_items")) {
            return KajabiWebhookKind.CART_PURCHASE;
        }
        if (isObject(body, "payment_transaction")) {
            return KajabiWebhookKind.PAYMENT_SUCCEEDED;
        }
        if (isObject(body, "transaction") || body.has("transaction_id")) {
            return KajabiWebhookKind.PURCHASE_CREATED;
        }
        String event = JsonFields.root(body).text("event");
        if (event != null) {
            String name = event.toLowerCase(Locale.ROOT);
            if (name.contains("form")) {
                return KajabiWebhookKind.FORM_SUBMISSION;
            }
            if (name.contains("payment")) {
                return KajabiWebhookKind.PAYMENT_SUCCEEDED;
            }
            if (name.contains("cart") || name.contains("order")) {
                return KajabiWebhookKind.CART_PURCHASE;
            }
            if (name.contains("purchase")) {
                return KajabiWebhookKind.PURCHASE_CREATED;
            }
        }
        if (isObject(body, "offer") || body.has("offer_id")) {
            return KajabiWebhookKind.PURCHASE_CREATED;
        }
        return null;
    }

    public static KajabiPurchaseCreated purchaseCreated(JsonNode body) {
        JsonFields top = JsonFields.root(body);
        JsonFields tx = JsonFields.group(body, "transaction");
        JsonFields txOrTop = tx.orElse(top);
        KajabiPurchaseTransaction transaction = new KajabiPurchaseTransaction(
                tx.text("id"),
                tx.orElse(top).instant("created_at"),
                txOrTop.text("offer_type"),
                amount(txOrTop, "subtotal"),
                amount(txOrTop, "discount_amount"),
                amount(txOrTop, "amount_paid"),
                txOrTop.text("currency"),
                txOrTop.text("payment_method"),
                txOrTop.text("payment_processor"),
                txOrTop.text("coupon_code"),
                txOrTop.integer("quantity"),
                recurring(JsonFields.group(body, "recurring_payment").orElse(txOrTop), true));
        return new KajabiPurchaseCreated(
                top.text("id"),
                top.text("event"),
                offer(body),
                member(body),
                contact(body),
                affiliate(body),
                top.bool("opt_in"),
                top.bool("trial"),
                transaction);
    }

    public static KajabiPaymentSucceeded paymentSucceeded(JsonNode body) {
        JsonFields top = JsonFields.root(body);
        return new KajabiPaymentSucceeded(
                top.text("id"),
                top.text("event"),
                offer(body),
                member(body),
                paymentTransaction(body),
                recurring(JsonFields.group(body, "recurring_payment"), false),
                affiliate(body));
    }

    public static KajabiCartPurchase cartPurchase(JsonNode body) {
        JsonFields order = JsonFields.group(body, "order");
        List<JsonNode> itemNodes = order.array("order_items");
        if (itemNodes.isEmpty()) {
            itemNodes = JsonFields.root(body).array("order_items");
        }
        List<KajabiCartItem> items = new ArrayList<>();
        for (JsonNode node : itemNodes) {
            if (!node.isObject()) {
                continue;
            }
            JsonFields item = JsonFields.of(node);
            items.add(new KajabiCartItem(
                    item.text("type"),
                    item.text("id"),
                    item.text("title"),
                    item.text("internal_title"),
                    item.integer("quantity"),
                    amount(item, "unit_cost"),
                    amount(item, "subtotal"),
                    amount(item, "discount_amount"),
                    amount(item, "sales_tax"),
                    amount(item, "total_amount")));
        }
        KajabiCartOrder cartOrder = new KajabiCartOrder(
                order.text("id"), order.text("source"), order.text("order_number", "number"), items);
        return new KajabiCartPurchase(cartOrder, paymentTransaction(body), member(body), contact(body));
    }

    public static KajabiFormSubmission formSubmission(JsonNode body) {
        JsonFields top = JsonFields.root(body);
        JsonFields form = JsonFields.group(body, "form");
        return new KajabiFormSubmission(
                top.text("id"),
                form.text("id"),
                form.text("title"),
                top.object("custom_fields"),
                top.text("name"),
                top.text("email"),
                top.text("phone_number"),
                top.text("mobile_phone_number"),
                top.text("address_line_1"),
                top.text("address_line_2"),
                top.text("address_city"),
                top.text("address_state"),
                top.text("address_country"),
                top.text("address_zip"),
                top.text("business_number"),
                top.text("first_name"),
                top.text("last_name"),
                top.startingWith("custom_", "custom_fields"));
    }

    private static KajabiOffer offer(JsonNode body) {
        JsonFields offer = JsonFields.group(body, "offer");
        List<String> ids = offer.list("id");
        boolean single = ids.size() <= 1;
        return new KajabiOffer(
                ids,
                single ? single(offer.text("title")) : offer.list("title"),
                single ? single(offer.text("internal_title")) : offer.list("internal_title"),
                single ? single(offer.text("type")) : offer.list("type"),
                offer.integer("quantity"),
                amount(offer, "unit_cost"),
                amount(offer, "subtotal"),
                amount(offer, "total_amount"));
    }

    private static KajabiMember member(JsonNode body) {
        JsonFields member = JsonFields.group(body, "member");
        return new KajabiMember(
                member.text("id"),
                member.text("email"),
                member.text("name"),
                member.text("first_name"),
                member.text("last_name"));
    }

    /** Extra contact fields: inside {@code member}, at the top level, or flat with the legacy {@code contact_}. */
    private static KajabiContactDetails contact(JsonNode body) {
        JsonFields member = JsonFields.group(body, "member");
        JsonFields view = JsonFields.group(body, "extra_contact_information")
                .orElse(member)
                .orElse(JsonFields.root(body))
                .orElse(JsonFields.group(body, "contact"));
        Map<String, String> custom = new LinkedHashMap<>();
        custom.putAll(JsonFields.root(body).startingWith("custom_", "custom_fields"));
        member.startingWith("custom_", "custom_fields").forEach(custom::putIfAbsent);
        return new KajabiContactDetails(
                view.text("address_line_1"),
                view.text("address_line_2"),
                view.text("address_city"),
                view.text("address_country"),
                view.text("address_country_name"),
                view.text("address_state"),
                view.text("address_zip"),
                view.text("phone_number"),
                view.text("business_number"),
                custom);
    }

    private static KajabiAffiliate affiliate(JsonNode body) {
        JsonFields view = JsonFields.group(body, "affiliate").orElse(JsonFields.root(body));
        return new KajabiAffiliate(
                view.text("conversion_id"), view.text("user_id"), view.text("user_name"), view.text("user_email"));
    }

    private static KajabiPaymentTransaction paymentTransaction(JsonNode body) {
        JsonFields tx = JsonFields.group(body, "payment_transaction");
        JsonFields txOrOrder = tx.orElse(JsonFields.group(body, "order")).orElse(JsonFields.root(body));
        return new KajabiPaymentTransaction(
                tx.text("id"),
                tx.instant("created_at"),
                tx.text("payment_processor"),
                tx.text("payment_method"),
                tx.text("payment_method_country"),
                tx.text("currency"),
                tx.text("coupon_code"),
                tx.integer("quantity"),
                amount(tx, "subtotal"),
                amount(tx, "discount_amount"),
                amount(tx, "sales_tax"),
                amount(tx, "amount_paid"),
                amount(tx, "fee_amount"),
                amount(tx, "net_amount"),
                tx.text("receipt_number"),
                tx.text("settlement_currency"),
                amount(tx, "settlement_amount"),
                amount(tx, "settlement_net_amount"),
                txOrOrder.text("invoice_number"));
    }

    /**
     * The recurring fields: Payment Succeeded's {@code recurring_payment} names ({@code id}, {@code payment_amount})
     * and, for Purchase Created, the transaction's names ({@code subscription_id}, {@code interval_payment_amount}).
     */
    private static KajabiRecurringPayment recurring(JsonFields view, boolean purchaseNames) {
        String id = purchaseNames
                ? view.text("subscription_id", "Subscription_id")
                : view.text("id", "subscription_id", "Subscription_id");
        Long paymentMinor = view.whole("payment_amount");
        if (paymentMinor == null) {
            paymentMinor = view.whole("interval_payment_amount");
        }
        java.math.BigDecimal paymentDecimal = view.decimal("payment_amount_decimal");
        if (paymentDecimal == null) {
            paymentDecimal = view.decimal("interval_payment_amount_decimal");
        }
        KajabiAmount payment = paymentMinor == null && paymentDecimal == null
                ? KajabiAmount.ABSENT
                : new KajabiAmount(paymentMinor, paymentDecimal);
        return new KajabiRecurringPayment(
                id,
                purchaseNames ? view.instant("subscription_created_at") : instantOf(view),
                payment,
                view.text("interval"),
                view.integer("interval_count"),
                view.integer("trial_period_days"),
                view.integer("total_payment_count"),
                view.integer("payments_made"),
                amount(view, "setup_fee"));
    }

    private static java.time.@Nullable Instant instantOf(JsonFields view) {
        java.time.Instant created = view.instant("created_at");
        return created != null ? created : view.instant("subscription_created_at");
    }

    private static KajabiAmount amount(JsonFields view, String name) {
        Long minor = view.whole(name);
        java.math.BigDecimal decimal = view.decimal(name + "_decimal");
        return minor == null && decimal == null ? KajabiAmount.ABSENT : new KajabiAmount(minor, decimal);
    }

    private static List<String> single(@Nullable String value) {
        return value == null ? List.of() : List.of(value);
    }

    private static boolean isObject(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node != null && node.isObject();
    }

    private static boolean looksLikePayload(JsonNode root) {
        return isObject(root, "member")
                || isObject(root, "offer")
                || isObject(root, "transaction")
                || isObject(root, "payment_transaction")
                || isObject(root, "order")
                || isObject(root, "form");
    }
}
