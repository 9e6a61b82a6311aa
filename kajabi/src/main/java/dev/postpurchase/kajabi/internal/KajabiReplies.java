package dev.postpurchase.kajabi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.http.HttpResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the answers of Kajabi's offer webhooks. Kajabi documents the messages ("Email: can't be blank", "The offer
 * has already been granted to this member", "Offer grant not found for offer on member") but not the status codes or
 * the body layout, so the messages are matched in the whole body, case-insensitively.
 */
public final class KajabiReplies {
    /** The most characters of Kajabi's message kept in a run's reason. */
    public static final int MAX_MESSAGE_CHARS = 300;

    private KajabiReplies() {}

    /**
     * Kajabi's message: the text values of a JSON body ({@code errors}, {@code error}, {@code message}, ... or, for
     * {@code {"email": ["is invalid"]}}, {@code email: is invalid}), else the body itself; on one line, at most
     * {@link #MAX_MESSAGE_CHARS} characters; empty for an empty body.
     */
    public static String message(HttpResult result) {
        String body = result.bodyPrefix(4 * MAX_MESSAGE_CHARS);
        if (body.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        try {
            JsonNode root = PostpurchaseJson.mapper().readTree(body);
            collect(root, null, parts);
        } catch (java.io.IOException | RuntimeException e) {
            parts.clear();
        }
        String text = parts.isEmpty() ? body : String.join("; ", parts);
        return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "…" : text;
    }

    /** "The offer has already been granted to this member" (or "already granted"). */
    public static boolean alreadyGranted(HttpResult result) {
        String body = lower(result);
        return body.contains("already been granted") || body.contains("already granted");
    }

    /** "Offer grant not found for offer on member": a revoke of something never granted. */
    public static boolean grantNotFound(HttpResult result) {
        String body = lower(result);
        return body.contains("grant not found") || body.contains("not found for offer");
    }

    /** One of the documented input errors: can't be blank, is invalid, is already taken, not found. */
    public static boolean rejectedInput(HttpResult result) {
        String body = lower(result).replace('\u2019', '\'');
        return body.contains("can't be blank")
                || body.contains("is invalid")
                || body.contains("already taken")
                || body.contains("not found");
    }

    private static String lower(HttpResult result) {
        return result.bodyPrefix(8 * MAX_MESSAGE_CHARS).toLowerCase(Locale.ROOT);
    }

    private static void collect(@Nullable JsonNode node, @Nullable String key, List<String> parts) {
        if (node == null || parts.size() >= 10) {
            return;
        }
        if (node.isValueNode()) {
            String text = node.asText().strip();
            if (!text.isEmpty()) {
                boolean keyed = key != null && !isWrapper(key);
                parts.add(keyed ? key + ": " + text : text);
            }
            return;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                collect(element, key, parts);
            }
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            collect(field.getValue(), field.getKey(), parts);
        }
    }

    private static boolean isWrapper(String key) {
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "errors", "error", "message", "messages", "detail", "details", "base", "full_messages" -> true;
            default -> false;
        };
    }
}
