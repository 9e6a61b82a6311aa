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
 * Submission) into typed records. Stateless and thread-safe.
 *
 * <p><b>Tolerance.</b> Unknown fields are ignored; missing fields and JSON nulls become null. Ids may be numbers or
 * strings; amounts may be numbers or numeric strings; the offer fields may be single values, comma-separated
 * strings or arrays (Kajabi's multiple-order-bump change). Groups are read nested ({@code "member": {"email"}}),
 * and, for payloads in Kajabi's older flat layout, flat ({@code "member_email"}, {@code "transaction_id"}, {@code
 * "contact_address_city"}), also inside a {@code "payload"} wrapper.
 *
 * <p><b>Rejected</b> with a {@link ValidationException} on {@code payload}: bodies over {@link #MAX_PAYLOAD_CHARS}
 * characters, malformed JSON, a top level that is not an object, and objects that have none of the four shapes.
 * Messages never echo the body, which holds personal data.
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
     * a Payment Succeeded, a {@code transaction} (or {@code transaction_id}, or an offer) a Purchase Created.
     *
     * @throws ValidationException on {@code payload} when the body is too large, malformed or of no known kind
     */
    public static KajabiWebhook parse(String json) {
        JsonNode body = tree(json);
        KajabiWebhookKind kind = PayloadReader.detect(body);
        if (kind == null) {
            throw new ValidationException(
                    "payload",
                    "is not a Kajabi Purchase Created, Payment Succeeded, Cart Purchase or Form Submission payload");
        }
        return read(kind, body);
    }

    /** Parses a body known to be of {@code kind} (for example because each webhook has its own endpoint). */
    public static KajabiWebhook parse(String json, KajabiWebhookKind kind) {
        Objects.requireNonNull(kind, "kind");
        return read(kind, tree(json));
    }

    /** Parses a Purchase Created body. */
    public static KajabiPurchaseCreated parsePurchaseCreated(String json) {
        return PayloadReader.purchaseCreated(tree(json));
    }

    /** Parses a Payment Succeeded body. */
    public static KajabiPaymentSucceeded parsePaymentSucceeded(String json) {
        return PayloadReader.paymentSucceeded(tree(json));
    }

    /** Parses a Cart Purchase body. */
    public static KajabiCartPurchase parseCartPurchase(String json) {
        return PayloadReader.cartPurchase(tree(json));
    }

    /** Parses a Form Submission body. */
    public static KajabiFormSubmission parseFormSubmission(String json) {
        return PayloadReader.formSubmission(tree(json));
    }

    private static KajabiWebhook read(KajabiWebhookKind kind, JsonNode body) {
        return switch (kind) {
            case PURCHASE_CREATED -> PayloadReader.purchaseCreated(body);
            case PAYMENT_SUCCEEDED -> PayloadReader.paymentSucceeded(body);
            case CART_PURCHASE -> PayloadReader.cartPurchase(body);
            case FORM_SUBMISSION -> PayloadReader.formSubmission(body);
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
        return PayloadReader.unwrap(root);
    }

    private static ValidationException tooLarge() {
        return new ValidationException("payload", "is larger than " + MAX_PAYLOAD_CHARS + " characters");
    }
}
