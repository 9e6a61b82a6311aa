package dev.postpurchase.kajabi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.kajabi.KajabiWebhookKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Deliveries of hooks created through Kajabi's public API ({@code POST /v1/hooks}): {@code {"id", "event",
 * "payload": [JSON:API resources]}}, with the resources of the samples at {@code GET /v1/hooks/<event>_sample}.
 * {@link #translate} rewrites one into the layout of the offer webhooks, so that {@link PayloadReader} makes the
 * same records of it:
 *
 * <ul>
 *   <li>{@code purchase} (a {@code purchases} resource, its offer and customer) → Purchase Created. The purchase
 *       carries no transaction id: the delivery's {@code id} stands for it.
 *   <li>{@code payment_succeeded} (a {@code transactions} resource and its customer) → Payment Succeeded.
 *   <li>{@code order_created} (an {@code orders} resource, its {@code order_items}, customer and transaction) → Cart
 *       Purchase.
 *   <li>{@code form_submission} (a {@code form_submissions} resource and its form) → Form Submission.
 * </ul>
 *
 * <p>Everything else is refused on {@code payload}: {@code tag_added} and {@code tag_removed} (no purchase and no
 * form in them), unknown events, a delivery without its main resource or with several, a payment whose state is not
 * {@code succeeded}, and an order naming items the delivery does not include. Nothing is guessed: a value the
 * resources do not carry stays absent.
 */
public final class ApiHookPayload {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The main resource type of each event this module reads, and the kind it becomes. */
    private static final Map<String, Main> EVENTS = Map.of(
            "purchase", new Main("purchases", KajabiWebhookKind.PURCHASE_CREATED),
            "payment_succeeded", new Main("transactions", KajabiWebhookKind.PAYMENT_SUCCEEDED),
            "order_created", new Main("orders", KajabiWebhookKind.CART_PURCHASE),
            "form_submission", new Main("form_submissions", KajabiWebhookKind.FORM_SUBMISSION));

    private record Main(String type, KajabiWebhookKind kind) {}

    /** {@code order_items} attributes and the cart item fields they become. */
    private static final Map<String, String> ORDER_ITEM =
            ordered("item_type", "type", "item_id", "id", "title", "title", "quantity", "quantity");

    /** The amounts before the total of an order or order item, and the cart fields they become. */
    private static final Map<String, String> ORDER_BREAKDOWN = ordered(
            "subtotal_in_cents",
            "subtotal",
            "discount_amount_in_cents",
            "discount_amount",
            "sales_tax_amount_in_cents",
            "sales_tax");

    /** A delivery rewritten for {@link PayloadReader}: its kind, its event name and the offer-webhook layout. */
    public record Translated(KajabiWebhookKind kind, String event, ObjectNode body) {}

    private ApiHookPayload() {}

    /** Whether {@code root} is an API hook delivery: its {@code payload} is an array of resources. */
    public static boolean isDelivery(JsonNode root) {
        JsonNode payload = root.get("payload");
        return payload != null && payload.isArray();
    }

    /**
     * Rewrites a delivery ({@link #isDelivery}) into the offer-webhook layout of its kind.
     *
     * @throws ValidationException on {@code payload} when the delivery is not one of the four events read or lacks
     *     what the event needs
     */
    public static Translated translate(JsonNode root) {
        String event = JsonFields.root(root).text("event");
        if (event == null) {
            throw refuse("is a Kajabi API hook delivery without an event name");
        }
        String name = event.toLowerCase(Locale.ROOT);
        if (name.equals("tag_added") || name.equals("tag_removed")) {
            throw refuse("is a Kajabi " + name + " delivery (a contact's tags changed), which carries no purchase and"
                    + " no form submission; only purchase, payment_succeeded, order_created and form_submission"
                    + " deliveries are read");
        }
        Main main = EVENTS.get(name);
        if (main == null) {
            throw refuse("is a Kajabi API hook delivery of an unknown event; only purchase, payment_succeeded,"
                    + " order_created and form_submission deliveries are read");
        }
        Resources resources = new Resources(root.get("payload"));
        JsonNode primary = resources.only(main.type());
        ObjectNode body = NODES.objectNode();
        String id = JsonFields.root(root).text("id");
        body.put("id", id != null ? id : text(primary, "id"));
        body.put("event", name);
        switch (main.kind()) {
            case PURCHASE_CREATED -> purchase(resources, primary, body);
            case PAYMENT_SUCCEEDED -> payment(resources, primary, body);
            case CART_PURCHASE -> order(resources, primary, body);
            case FORM_SUBMISSION -> formSubmission(resources, primary, body);
        }
        return new Translated(main.kind(), name, body);
    }

    private static void purchase(Resources resources, JsonNode purchase, ObjectNode body) {
        JsonNode attributes = attributes(purchase);
        List<JsonNode> offers = resources.related(purchase, "offer");
        if (offers.isEmpty()) {
            offers = resources.related(purchase, "offers");
        }
        ObjectNode offer = offerGroup(offers);
        copy(attributes, "quantity", offer, "quantity");
        if (offers.size() == 1) {
            // One offer: the purchase's amount is this offer's, its list price the offer's unit cost.
            copy(attributes, "amount_in_cents", offer, "total_amount");
            String currency = text(attributes, "currency");
            String offerCurrency = text(attributes(offers.get(0)), "currency");
            if (currency == null || offerCurrency == null || currency.equalsIgnoreCase(offerCurrency)) {
                copy(attributes(offers.get(0)), "price_in_cents", offer, "unit_cost");
            }
        }
        body.set("offer", offer);
        body.set("member", member(resources, purchase));
        ObjectNode transaction = body.putObject("transaction");
        copy(attributes, "created_at", transaction, "created_at");
        if (offer.has("type") && offer.get("type").isTextual()) {
            transaction.set("offer_type", offer.get("type"));
        }
        copy(attributes, "currency", transaction, "currency");
        copy(attributes, "coupon_code", transaction, "coupon_code");
        copy(attributes, "quantity", transaction, "quantity");
        copy(attributes, "multipay_payments_made", transaction, "payments_made");
        copy(attributes, "opt_in", body, "opt_in");
        JsonNode extra = attributes.get("raw_extra_contact_information");
        if (extra != null && extra.isObject()) {
            body.set("extra_contact_information", extra);
            extra.properties().forEach(field -> {
                if (field.getKey().startsWith("custom_")) {
                    body.set(field.getKey(), field.getValue());
                }
            });
        }
    }

    private static void payment(Resources resources, JsonNode transaction, ObjectNode body) {
        JsonNode attributes = attributes(transaction);
        String state = text(attributes, "state");
        if (state != null && !state.equalsIgnoreCase("succeeded")) {
            throw refuse("is a Kajabi payment_succeeded delivery whose transaction is in state '" + clip(state)
                    + "', not succeeded");
        }
        ObjectNode tx = body.putObject("payment_transaction");
        tx.put("id", text(transaction, "id"));
        copy(attributes, "created_at", tx, "created_at");
        copy(attributes, "currency", tx, "currency");
        copy(attributes, "amount_in_cents", tx, "amount_paid");
        copy(attributes, "sales_tax_in_cents", tx, "sales_tax");
        List<JsonNode> offers = resources.related(transaction, "offer");
        if (offers.isEmpty()) {
            // Bundled transactions have no single offer (Kajabi API 1.1.0); their purchases name the offers.
            for (JsonNode purchase : resources.related(transaction, "purchases")) {
                offers.addAll(resources.related(purchase, "offer"));
            }
        }
        if (!offers.isEmpty()) {
            body.set("offer", offerGroup(offers));
        }
        body.set("member", member(resources, transaction));
    }

    private static void order(Resources resources, JsonNode order, ObjectNode body) {
        JsonNode attributes = attributes(order);
        ObjectNode group = body.putObject("order");
        group.put("id", text(order, "id"));
        copy(attributes, "order_number", group, "order_number");
        ArrayNode items = group.putArray("order_items");
        List<JsonNode> itemResources = resources.relatedStrictly(order, "order_items");
        if (itemResources == null) {
            itemResources = resources.ofType("order_items");
        }
        for (JsonNode resource : itemResources) {
            JsonNode item = attributes(resource);
            ObjectNode line = items.addObject();
            copy(item, ORDER_ITEM, line);
            copy(item, ORDER_BREAKDOWN, line);
            copy(item, "total_price_in_cents", line, "total_amount");
        }
        JsonNode transaction = paymentOf(resources, order);
        ObjectNode tx = body.putObject("payment_transaction");
        JsonNode txAttributes = transaction == null ? NODES.objectNode() : attributes(transaction);
        if (transaction != null) {
            tx.put("id", text(transaction, "id"));
        }
        // The payment's own time and amount first, else the order's; the breakdown is the order's.
        copy(txAttributes, "created_at", tx, "created_at");
        copy(attributes, "created_at", tx, "created_at");
        copy(attributes, "currency_code", tx, "currency");
        copy(txAttributes, "currency", tx, "currency");
        copy(attributes, ORDER_BREAKDOWN, tx);
        copy(txAttributes, "amount_in_cents", tx, "amount_paid");
        copy(attributes, "total_price_in_cents", tx, "amount_paid");
        List<JsonNode> customers = resources.related(order, "customer");
        body.set("member", member(resources, customers.isEmpty() && transaction != null ? transaction : order));
    }

    private static void formSubmission(Resources resources, JsonNode submission, ObjectNode body) {
        attributes(submission).properties().forEach(field -> {
            if (!body.has(field.getKey())) {
                body.set(field.getKey(), field.getValue());
            }
        });
        ObjectNode form = body.putObject("form");
        List<JsonNode> forms = resources.related(submission, "form");
        if (!forms.isEmpty()) {
            form.put("id", text(forms.get(0), "id"));
            copy(attributes(forms.get(0)), "title", form, "title");
        }
    }

    /** The payment of an order: the transaction it links, else the delivery's only transaction, else none. */
    private static @Nullable JsonNode paymentOf(Resources resources, JsonNode order) {
        List<JsonNode> linked = resources.related(order, "payment_transactions");
        if (!linked.isEmpty()) {
            return linked.get(0);
        }
        List<JsonNode> all = resources.ofType("transactions");
        if (all.size() > 1) {
            throw refuse("is a Kajabi order_created delivery with " + all.size()
                    + " transactions, none of which the order names");
        }
        return all.isEmpty() ? null : all.get(0);
    }

    /** The offer group of one or several offer resources: single values for one, arrays for several. */
    private static ObjectNode offerGroup(List<JsonNode> offers) {
        ObjectNode group = NODES.objectNode();
        if (offers.isEmpty()) {
            return group;
        }
        List<@Nullable String> ids = new ArrayList<>();
        List<@Nullable String> titles = new ArrayList<>();
        List<@Nullable String> internalTitles = new ArrayList<>();
        List<@Nullable String> types = new ArrayList<>();
        for (JsonNode offer : offers) {
            JsonNode attributes = attributes(offer);
            ids.add(text(offer, "id"));
            titles.add(text(attributes, "title"));
            internalTitles.add(text(attributes, "internal_title"));
            types.add(offerType(attributes));
        }
        put(group, "id", ids);
        put(group, "title", titles);
        put(group, "internal_title", internalTitles);
        put(group, "type", types);
        return group;
    }

    /** A list as one value or an array, and only when every element is known (so lists stay aligned). */
    private static void put(ObjectNode group, String field, List<@Nullable String> values) {
        if (values.stream().anyMatch(Objects::isNull)) {
            return;
        }
        if (values.size() == 1) {
            group.put(field, values.get(0));
        } else {
            ArrayNode array = group.putArray(field);
            values.forEach(array::add);
        }
    }

    /** The offer-webhook offer type from the offer's documented flags; null when they say nothing. */
    private static @Nullable String offerType(JsonNode attributes) {
        if (flag(attributes, "free")) {
            return "free";
        }
        if (flag(attributes, "subscription")) {
            return "subscription";
        }
        if (flag(attributes, "recurring_offer")) {
            return "payment plan";
        }
        if (flag(attributes, "one_time") || flag(attributes, "single")) {
            return "one-time";
        }
        return null;
    }

    /** The member group of a resource's customer: the contact id (else the customer id), email and name. */
    private static ObjectNode member(Resources resources, JsonNode resource) {
        ObjectNode member = NODES.objectNode();
        List<JsonNode> customers = resources.related(resource, "customer");
        if (customers.isEmpty()) {
            return member;
        }
        JsonNode customer = customers.get(0);
        JsonNode contact = customer.path("relationships").path("contact").path("data");
        String contactId = contact.isObject() ? text(contact, "id") : null;
        member.put("id", contactId != null ? contactId : text(customer, "id"));
        copy(attributes(customer), "email", member, "email");
        copy(attributes(customer), "name", member, "name");
        return member;
    }

    private static JsonNode attributes(JsonNode resource) {
        JsonNode attributes = resource.get("attributes");
        return attributes != null && attributes.isObject() ? attributes : NODES.objectNode();
    }

    private static void copy(JsonNode from, Map<String, String> fields, ObjectNode to) {
        fields.forEach((field, as) -> copy(from, field, to, as));
    }

    private static Map<String, String> ordered(String... namesAndTargets) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTargets.length; i += 2) {
            map.put(namesAndTargets[i], namesAndTargets[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** Copies a scalar field as {@code as}, unless it is null or {@code to} has {@code as} already. */
    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull() && !value.isContainerNode() && !to.has(as)) {
            to.set(as, value);
        }
    }

    private static boolean flag(JsonNode attributes, String field) {
        JsonNode value = attributes.get(field);
        return value != null && value.isBoolean() && value.booleanValue();
    }

    private static @Nullable String text(JsonNode node, String field) {
        return JsonFields.of(node).text(field);
    }

    /** An event or state name as it may appear in a message: bounded, printable. */
    private static String clip(String text) {
        String clean = text.replaceAll("[^A-Za-z0-9_.-]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
    }

    private static ValidationException refuse(String message) {
        return new ValidationException("payload", message);
    }

    /** The resources of a delivery, looked up by type and id. */
    private static final class Resources {
        private final List<JsonNode> all = new ArrayList<>();

        Resources(JsonNode payload) {
            for (JsonNode resource : payload) {
                if (resource.isObject() && text(resource, "type") != null) {
                    all.add(resource);
                }
            }
        }

        List<JsonNode> ofType(String type) {
            List<JsonNode> found = new ArrayList<>();
            for (JsonNode resource : all) {
                if (type.equals(text(resource, "type"))) {
                    found.add(resource);
                }
            }
            return found;
        }

        /** The one resource of the event's main type. */
        JsonNode only(String type) {
            List<JsonNode> found = ofType(type);
            if (found.size() != 1) {
                throw refuse(
                        found.isEmpty()
                                ? "is a Kajabi API hook delivery without its " + type + " resource"
                                : "is a Kajabi API hook delivery with " + found.size() + " " + type
                                        + " resources; one was expected");
            }
            return found.get(0);
        }

        /**
         * The resources a relationship names (to-one or to-many): each the included resource, else its bare
         * identifier ({@code {"id", "type"}}, no attributes), so that an id is never lost.
         */
        List<JsonNode> related(JsonNode resource, String relationship) {
            List<JsonNode> found = new ArrayList<>();
            for (JsonNode reference : references(resource, relationship)) {
                JsonNode target = find(reference);
                found.add(target != null ? target : reference);
            }
            return found;
        }

        /**
         * The included resources a to-many relationship names, refusing a reference the delivery does not include;
         * null when the relationship is absent.
         */
        @Nullable
        List<JsonNode> relatedStrictly(JsonNode resource, String relationship) {
            JsonNode data = resource.path("relationships").path(relationship).path("data");
            if (!data.isArray()) {
                return null;
            }
            List<JsonNode> found = new ArrayList<>();
            for (JsonNode reference : data) {
                JsonNode target = find(reference);
                if (target == null) {
                    throw refuse("is a Kajabi API hook delivery that names a " + relationship
                            + " resource it does not include");
                }
                found.add(target);
            }
            return found;
        }

        private List<JsonNode> references(JsonNode resource, String relationship) {
            JsonNode data = resource.path("relationships").path(relationship).path("data");
            List<JsonNode> references = new ArrayList<>();
            if (data.isObject()) {
                references.add(data);
            } else if (data.isArray()) {
                data.forEach(element -> {
                    if (element.isObject()) {
                        references.add(element);
                    }
                });
            }
            return references;
        }

        private @Nullable JsonNode find(JsonNode reference) {
            String type = text(reference, "type");
            String id = text(reference, "id");
            for (JsonNode resource : all) {
                if (Objects.equals(type, text(resource, "type")) && Objects.equals(id, text(resource, "id"))) {
                    return resource;
                }
            }
            return null;
        }
    }
}
