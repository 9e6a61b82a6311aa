package dev.postpurchase.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.action.FieldChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The field-by-field difference between two configs, for the re-run dialog. Values of fields whose name says they
 * hold a secret (secret, password, token, key, the Kajabi activation and deactivation URLs, which carry a token) and
 * values that look like a signing secret are masked: staff see that they change, never what they are.
 */
public final class ConfigDiff {
    private static final Pattern SECRET_NAME =
            Pattern.compile(".*(secret|password|token|apikey|api_key|key|activationurl|deactivationurl).*");

    private ConfigDiff() {}

    /** The fields that differ between {@code before} and {@code after} (both JSON), in document order. */
    public static List<FieldChange> of(String before, String after) {
        Map<String, JsonNode> a = flatten(tree(before));
        Map<String, JsonNode> b = flatten(tree(after));
        Set<String> fields = new LinkedHashSet<>(a.keySet());
        fields.addAll(b.keySet());
        List<FieldChange> changes = new ArrayList<>();
        for (String field : fields) {
            JsonNode x = a.get(field);
            JsonNode y = b.get(field);
            if (x != null && x.equals(y)) {
                continue;
            }
            boolean secret = isSecret(field, x) || isSecret(field, y);
            changes.add(new FieldChange(field, show(x, secret), show(y, secret), secret));
        }
        return changes;
    }

    /** A snapshot field (not part of the config) that would change. */
    public static @Nullable FieldChange field(String name, String before, String after) {
        return before.equals(after) ? null : new FieldChange(name, before, after, false);
    }

    private static @Nullable JsonNode tree(String json) {
        try {
            return PostpurchaseJson.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static @Nullable String show(@Nullable JsonNode value, boolean secret) {
        if (value == null) {
            return null;
        }
        return secret ? FieldChange.MASK : value.isTextual() ? value.textValue() : value.toString();
    }

    private static boolean isSecret(String field, @Nullable JsonNode value) {
        String name = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[\\d+]", "");
        return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches()
                || (value != null && value.isTextual() && value.textValue().startsWith("whsec_"));
    }

    private static Map<String, JsonNode> flatten(@Nullable JsonNode root) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (root != null) {
            flatten("", root, out);
        }
        return out;
    }

    private static void flatten(String path, JsonNode node, Map<String, JsonNode> out) {
        if (node.isObject() && node.size() > 0) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray() && node.size() > 0) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), out);
            }
        } else {
            out.put(path.isEmpty() ? "(config)" : path, node);
        }
    }
}
