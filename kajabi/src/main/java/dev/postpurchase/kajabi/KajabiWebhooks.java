package dev.postpurchase.kajabi;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.kajabi.internal.PayloadReader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Parses the bodies of Kajabi's outbound webhooks (Purchase Created, Payment Succeeded, Cart Purchase, Form
 * Submission), and the deliveries of hooks created through Kajabi's public API, into typed records. Stateless and
 * thread-safe.
 *
 * <p><b>Tolerance.</b> Unknown fields are ignored; missing fields and JSON nulls become null. Ids may be numbers or
 * strings; amounts may be numbers or numeric strings; the offer fields may be single values, comma-separated
 * strings or arrays (Kajabi's multiple-order-bump change). Groups are read nested ({@code "member": {"email"}}),
 * and, for payloads in Kajabi's older flat layout, flat ({@code "member_email"}, {@code "transaction_id"}, {@code
 * "contact_address_city"}), also inside a {@code "payload"} wrapper.
 *
 * <p><b>API-managed hooks.</b> Hooks created through Kajabi's public API ({@code POST /v1/hooks}) deliver {@code
 * {"id", "event", "payload": [JSON:API resources]}}. Such a delivery is read by its event into the same records:
 * {@code purchase} (a {@code purchases} resource with its offer and customer) into a {@link KajabiPurchaseCreated}
 * whose offer amounts are the purchase's {@code amount_in_cents} and the offer's {@code price_in_cents}, and whose
 * transaction id is the delivery's {@code id} (the purchase names no transaction: an API purchase is an order of its
 * own, and not the order its {@code payment_succeeded} delivery makes); {@code payment_succeeded} (a {@code
 * transactions} resource) into a {@link KajabiPaymentSucceeded}; {@code order_created} (an {@code orders} resource
 * with its items and transaction) into a {@link KajabiCartPurchase}; {@code form_submission} into a {@link
 * KajabiFormSubmission}. The contact id of the customer is the member id. {@code tag_added} and {@code tag_removed}
 * carry no purchase and no form and are refused, as are unknown events, deliveries without their main resource or
 * with several, and payments whose state is not {@code succeeded}.
 *
 * <p><b>Rejected</b> with a {@link ValidationException} on {@code payload}: bodies over {@link #MAX_PAYLOAD_CHARS}
 * characters, malformed JSON, a top level that is not an object, objects that have none of the four shapes, API
 * hook deliveries as above, and bodies that carry nothing beyond their {@code id} and {@code event} (a parser never
 * returns an empty record). Messages never echo the body, which holds personal data.
 *
 * <p><b>Authenticity.</b> Kajabi does not sign its webhooks: check the request with {@link KajabiWebhookToken}
 * before parsing.
 */
public final class KajabiWebhooks {

    /** The largest body accepted, in characters: 1 MiB, far above any documented payload. */
    public static final int MAX_PAYLOAD_CHARS = 1 << 20;

    /** Floats are read as exact decimals, keeping their scale: {@code 90.00} stays {@code 90.00}, never a double. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private KajabiWebhooks() {}

    /** Parses a UTF-8 body; see {@link #parse(String)}. */
    public static KajabiWebhook parse(byte[] body) {
        Objects.requireNonNull(body, "body");
        if (body.length > MAX_PAYLOAD_CHARS * 4L) {
            throw tooLarge();
        }
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Parses a body into the kind its shape (or, failing that, its {@code event} name) shows: a {@code form} object
     * is a Form Submission, an {@code order} with {@code order_items} a Cart Purchase, a {@code payment_transaction}
     * a Payment Succeeded, a {@code transaction} (or {@code transaction_id}, or an offer) a Purchase Created. A
     * delivery of an API-managed hook is read by its event, see the class documentation.
     *
     * @throws ValidationException on {@code payload} when the body is too large, malformed, of no known kind, or
     *     carries none of its kind's fields
     */
    public static KajabiWebhook parse(String json) {
        PayloadReader.Body body = PayloadReader.body(tree(json));
        if (body.kind() == null) {
            throw new ValidationException(
                    "payload",
                    "is not a Kajabi Purchase Created, Payment Succeeded, Cart Purchase or Form Submission payload");
        }
        return read(body.kind(), body);
    }

    /**
     * Parses a body known to be of {@code kind} (for example because each webhook has its own endpoint). A delivery
     * of an API-managed hook must be of that kind by its event.
     *
     * @throws ValidationException on {@code payload} as {@link #parse(String)} does, and for an API hook delivery of
     *     another kind
     */
    public static KajabiWebhook parse(String json, KajabiWebhookKind kind) {
        Objects.requireNonNull(kind, "kind");
        PayloadReader.Body body = PayloadReader.body(tree(json));
        if (body.apiHookEvent() != null && body.kind() != kind) {
            throw new ValidationException(
                    "payload", "is a Kajabi " + body.apiHookEvent() + " delivery, not a " + label(kind) + " payload");
        }
        return read(kind, body);
    }

    /** Parses a Purchase Created body (or a {@code purchase} API hook delivery). */
    public static KajabiPurchaseCreated parsePurchaseCreated(String json) {
        return (KajabiPurchaseCreated) parse(json, KajabiWebhookKind.PURCHASE_CREATED);
    }

    /** Parses a Payment Succeeded body (or a {@code payment_succeeded} API hook delivery). */
    public static KajabiPaymentSucceeded parsePaymentSucceeded(String json) {
        return (KajabiPaymentSucceeded) parse(json, KajabiWebhookKind.PAYMENT_SUCCEEDED);
    }

    /** Parses a Cart Purchase body (or an {@code order_created} API hook delivery). */
    public static KajabiCartPurchase parseCartPurchase(String json) {
        return (KajabiCartPurchase) parse(json, KajabiWebhookKind.CART_PURCHASE);
    }

    /** Parses a Form Submission body (or a {@code form_submission} API hook delivery). */
    public static KajabiFormSubmission parseFormSubmission(String json) {
        return (KajabiFormSubmission) parse(json, KajabiWebhookKind.FORM_SUBMISSION);
    }

    /** Reads the body as {@code kind}, refusing a record that carries nothing beyond the id and event. */
    private static KajabiWebhook read(KajabiWebhookKind kind, PayloadReader.Body body) {
        KajabiWebhook parsed = PayloadReader.read(kind, body.fields());
        if (parsed.equals(PayloadReader.read(kind, PayloadReader.header(body.fields())))) {
            throw new ValidationException(
                    "payload", "carries none of the fields of a Kajabi " + label(kind) + " payload");
        }
        return parsed;
    }

    private static String label(KajabiWebhookKind kind) {
        return switch (kind) {
            case PURCHASE_CREATED -> "Purchase Created";
            case PAYMENT_SUCCEEDED -> "Payment Succeeded";
            case CART_PURCHASE -> "Cart Purchase";
            case FORM_SUBMISSION -> "Form Submission";
        };
    }

    private static JsonNode tree(String json) {
        Objects.requireNonNull(json, "json");
        if (json.length() > MAX_PAYLOAD_CHARS) {
            throw tooLarge();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ValidationException("payload", "is not valid JSON" + where);
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException("payload", "must be a JSON object");
        }
        return root;
    }

    private static ValidationException tooLarge() {
        return new ValidationException("payload", "is larger than " + MAX_PAYLOAD_CHARS + " characters");
    }
}
