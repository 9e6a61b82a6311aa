package dev.postpurchase.kajabi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tolerant view of one group of fields of a Kajabi payload. Kajabi has sent the same field nested ({@code
 * "transaction": {"id": ...}}), nested with the group's prefix ({@code "transaction": {"transaction_id": ...}}) and
 * flat at the top level ({@code "transaction_id": ...}); {@link #node} looks in that order. Every reader returns
 * null for a missing field, a JSON null, or a value of an unusable type, never throws.
 */
public final class JsonFields {
    private static final DateTimeFormatter RAILS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);
    private static final DateTimeFormatter RAILS_OFFSET =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z", Locale.ROOT);

    private final JsonNode nested;
    private final JsonNode root;
    private final @Nullable String prefix;
    private final @Nullable JsonFields fallback;

    private JsonFields(JsonNode nested, JsonNode root, @Nullable String prefix, @Nullable JsonFields fallback) {
        this.nested = nested;
        this.root = root;
        this.prefix = prefix;
        this.fallback = fallback;
    }

    /** This view, then {@code other} for fields this view does not have. */
    public JsonFields orElse(JsonFields other) {
        return new JsonFields(nested, root, prefix, fallback == null ? other : fallback.orElse(other));
    }

    /** The top-level fields of {@code root}. */
    public static JsonFields root(JsonNode root) {
        return new JsonFields(root, root, null, null);
    }

    /**
     * The group {@code name} of {@code root}: the object {@code root.name} (when it is an object) with fallbacks to
     * {@code name_field} inside it and at the top level.
     */
    public static JsonFields group(JsonNode root, String name) {
        JsonNode nested = root.get(name);
        return new JsonFields(nested != null && nested.isObject() ? nested : NullNode.getInstance(), root, name, null);
    }

    /** A view of a nested object (for example one cart item) without flat fallbacks. */
    public static JsonFields of(JsonNode object) {
        return new JsonFields(object, NullNode.getInstance(), null, null);
    }

    /** Whether the group exists as a nested object. */
    public boolean present() {
        return nested.isObject() && nested.size() > 0;
    }

    /** The nested object of this view (a missing group is an empty node). */
    public JsonNode nestedNode() {
        return nested;
    }

    /** Whether any of the given fields has a non-null value in this view. */
    public boolean hasAny(String... names) {
        for (String name : names) {
            if (node(name) != null) {
                return true;
            }
        }
        return false;
    }

    /** The raw node of a field, looked up nested, nested with prefix, then flat with prefix; null when absent. */
    public @Nullable JsonNode node(String name) {
        JsonNode value = usable(nested.get(name));
        if (value == null && prefix != null) {
            value = usable(nested.get(prefix + "_" + name));
            if (value == null && root != nested) {
                value = usable(root.get(prefix + "_" + name));
            }
        }
        if (value == null && fallback != null) {
            value = fallback.node(name);
        }
        return value;
    }

    /** A field as trimmed text (numbers and booleans as written); null when absent or blank. */
    public @Nullable String text(String name) {
        return text(node(name));
    }

    /** The first of several alternative field names that has a value. */
    public @Nullable String text(String name, String... alternatives) {
        String value = text(name);
        for (int i = 0; value == null && i < alternatives.length; i++) {
            value = text(alternatives[i]);
        }
        return value;
    }

    /** A whole number given as a JSON integer or an integer string; null otherwise. */
    public @Nullable Long whole(String name) {
        return whole(node(name));
    }

    /** A whole number that fits an int, else null. */
    public @Nullable Integer integer(String name) {
        Long value = whole(name);
        return value != null && value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? value.intValue() : null;
    }

    /** A decimal given as a JSON number or a numeric string; null otherwise. */
    public @Nullable BigDecimal decimal(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text.replace(",", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A boolean given as true/false, "true"/"false", 1/0 or "1"/"0"; null otherwise. */
    public @Nullable Boolean bool(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String text = text(node);
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> Boolean.TRUE;
            case "false", "0", "no" -> Boolean.FALSE;
            default -> null;
        };
    }

    /**
     * An instant written as ISO-8601 with offset, ISO-8601 local (read as UTC), a Rails-style {@code 2025-04-01
     * 10:00:00 UTC}, a date, or epoch seconds; null when unreadable.
     */
    public @Nullable Instant instant(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber()) {
            try {
                return Instant.ofEpochSecond(node.longValue());
            } catch (java.time.DateTimeException e) { // out of range: unreadable, like any other bad date
                return null;
            }
        }
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next format
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try the next format
        }
        try {
            return ZonedDateTime.parse(text, RAILS_OFFSET).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next format
        }
        try {
            return ZonedDateTime.parse(text, RAILS_UTC).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next format
        }
        try {
            return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * A multi-valued field: a JSON array (each element one value), a comma-separated string, or a single scalar.
     * Values are trimmed; empty ones are dropped. Absent gives an empty list.
     */
    public List<String> list(String name) {
        return list(node(name));
    }

    /** {@link #list(String)} of a node. */
    public static List<String> list(@Nullable JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                String text = text(element);
                if (text != null) {
                    values.add(text);
                }
            }
            return values;
        }
        String text = text(node);
        if (text == null) {
            return values;
        }
        if (node.isTextual()) {
            for (String part : text.split(",", -1)) {
                String trimmed = part.strip();
                if (!trimmed.isEmpty()) {
                    values.add(trimmed);
                }
            }
        } else {
            values.add(text);
        }
        return values;
    }

    /** The nested array {@code name} (no flat fallback); empty when absent or not an array. */
    public List<JsonNode> array(String name) {
        JsonNode node = node(name);
        List<JsonNode> elements = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(elements::add);
        }
        return elements;
    }

    /**
     * Every field of the nested object (and, with a prefix, of the flat top level) whose name starts with {@code
     * namePrefix}, as text in order of appearance; arrays and objects are kept as their JSON text.
     */
    public Map<String, String> startingWith(String namePrefix, String... excluded) {
        Map<String, String> values = new LinkedHashMap<>();
        collect(nested, namePrefix, values, excluded);
        return values;
    }

    /** Every field of the nested object {@code name} as text; empty when absent. */
    public Map<String, String> object(String name) {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode node = node(name);
        if (node != null && node.isObject()) {
            collect(node, "", values);
        }
        return values;
    }

    private static void collect(JsonNode object, String namePrefix, Map<String, String> into, String... excluded) {
        if (!object.isObject()) {
            return;
        }
        outer:
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!field.getKey().startsWith(namePrefix)) {
                continue;
            }
            for (String skip : excluded) {
                if (skip.equals(field.getKey())) {
                    continue outer;
                }
            }
            JsonNode value = usable(field.getValue());
            if (value == null) {
                continue;
            }
            String text = value.isContainerNode() ? value.toString() : text(value);
            if (text != null) {
                into.putIfAbsent(field.getKey(), text);
            }
        }
    }

    private static @Nullable Long whole(@Nullable JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            BigDecimal value = node.decimalValue();
            try {
                return value.stripTrailingZeros().scale() <= 0 ? value.longValueExact() : null;
            } catch (ArithmeticException e) {
                return null;
            }
        }
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static @Nullable String text(@Nullable JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String text = node.isNumber() ? node.numberValue().toString() : node.asText();
        if (node.isFloatingPointNumber()) {
            text = node.decimalValue().toPlainString();
        }
        text = text.strip();
        return text.isEmpty() ? null : text;
    }

    private static @Nullable JsonNode usable(@Nullable JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
}
