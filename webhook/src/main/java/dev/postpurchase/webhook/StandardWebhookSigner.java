package dev.postpurchase.webhook;

import dev.postpurchase.core.PostpurchaseException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs messages per Standard Webhooks v1: {@code v1,} followed by the standard base64 of HMAC-SHA256 over
 * {@code msgId + "." + timestamp + "." + body}, keyed with the decoded secret. With several secrets (during
 * rotation: the new one first, then the old one) the signatures are joined by single spaces, and a receiver holding
 * either secret accepts the message. Immutable and thread-safe.
 */
public final class StandardWebhookSigner {
    /** The header carrying the message id, stable across retries. */
    public static final String ID_HEADER = "webhook-id";

    /** The header carrying the attempt's unix timestamp in seconds. */
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";

    /** The header carrying the space-separated signatures. */
    public static final String SIGNATURE_HEADER = "webhook-signature";

    /** Looking a {@link Mac} up costs more than the HMAC of a webhook body: one per thread, re-keyed per use. */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new PostpurchaseException("HmacSHA256 is not available", e);
        }
    });

    private final List<WebhookSecret> secrets;

    private StandardWebhookSigner(List<WebhookSecret> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("secrets: at least one is required");
        }
        this.secrets = List.copyOf(secrets);
    }

    /** A signer with one or more secrets, in the order their signatures appear. */
    public static StandardWebhookSigner of(WebhookSecret first, WebhookSecret... more) {
        List<WebhookSecret> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(more));
        return new StandardWebhookSigner(all);
    }

    /** A signer with the given secrets, in order; at least one. */
    public static StandardWebhookSigner of(List<WebhookSecret> secrets) {
        return new StandardWebhookSigner(secrets);
    }

    /**
     * The {@code webhook-signature} header value for one message.
     *
     * @param msgId the message id; must be non-blank, without {@code .}, whitespace or control characters
     * @param timestampSeconds unix seconds of this attempt
     * @param body the exact bytes sent
     */
    public String sign(String msgId, long timestampSeconds, byte[] body) {
        checkId(msgId);
        byte[] content = signedContent(msgId, Long.toString(timestampSeconds), body);
        List<String> signatures = new ArrayList<>(secrets.size());
        for (WebhookSecret secret : secrets) {
            signatures.add("v1," + Base64.getEncoder().encodeToString(hmac(secret.keyBytes(), content)));
        }
        return String.join(" ", signatures);
    }

    /** As {@link #sign(String, long, byte[])} for a body given as text, encoded as UTF-8. */
    public String sign(String msgId, long timestampSeconds, String body) {
        return sign(msgId, timestampSeconds, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The three Standard Webhooks headers for one attempt, in the order id, timestamp, signature. */
    public Map<String, String> headers(String msgId, long timestampSeconds, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID_HEADER, msgId);
        headers.put(TIMESTAMP_HEADER, Long.toString(timestampSeconds));
        headers.put(SIGNATURE_HEADER, sign(msgId, timestampSeconds, body));
        return headers;
    }

    @Override
    public String toString() {
        return "StandardWebhookSigner[" + secrets.size() + " secret(s)]";
    }

    static byte[] signedContent(String msgId, String timestamp, byte[] body) {
        byte[] prefix = (msgId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        return content;
    }

    static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = MACS.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (InvalidKeyException e) {
            throw new PostpurchaseException("HmacSHA256 is not available", e);
        }
    }

    private static void checkId(String msgId) {
        if (msgId.isBlank()) {
            throw new IllegalArgumentException("msgId: must not be blank");
        }
        for (int i = 0; i < msgId.length(); i++) {
            char c = msgId.charAt(i);
            if (c == '.' || c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("msgId: must be printable ASCII without '.' or spaces");
            }
        }
    }
}
