package dev.postpurchase.admin.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.core.Secret;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A JSON Schema (draft 2020-12 vocabulary) of an executor's config record, made by reflection over its components:
 * types, {@code required} (every component not marked {@code @Nullable} and every primitive), enums, nested records,
 * lists and maps. {@link Secret} components are {@code "writeOnly": true} with {@code "format": "password"}: the page
 * never shows them, only whether they are set. Types it does not know become a free JSON value.
 */
public final class ConfigSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ConfigSchemas() {}

    /** The schema of a config type (a record, normally). */
    public static ObjectNode of(Class<?> configType) {
        ObjectNode schema = F.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("title", configType.getSimpleName());
        schema.setAll(describe(configType, new HashSet<>()));
        return schema;
    }

    private static ObjectNode describe(Type type, Set<Class<?>> visiting) {
        ObjectNode node = F.objectNode();
        if (type instanceof WildcardType wildcard) {
            return describe(wildcard.getUpperBounds()[0], visiting);
        }
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                node.put("type", "array");
                node.set("items", describe(args[0], visiting));
                if (Set.class.isAssignableFrom(raw)) {
                    node.put("uniqueItems", true);
                }
                return node;
            }
            if (Map.class.isAssignableFrom(raw)) {
                node.put("type", "object");
                node.set("additionalProperties", describe(args[1], visiting));
                return node;
            }
            return describe(raw, visiting);
        }
        if (!(type instanceof Class<?> c)) {
            return node;
        }
        if (c == String.class || c == char.class || c == Character.class) {
            node.put("type", "string");
        } else if (c == Secret.class) {
            node.put("type", "string");
            node.put("format", "password");
            node.put("writeOnly", true);
        } else if (c == boolean.class || c == Boolean.class) {
            node.put("type", "boolean");
        } else if (c == int.class
                || c == Integer.class
                || c == long.class
                || c == Long.class
                || c == short.class
                || c == Short.class
                || c == byte.class
                || c == Byte.class
                || c == BigInteger.class) {
            node.put("type", "integer");
        } else if (c == double.class
                || c == Double.class
                || c == float.class
                || c == Float.class
                || c == BigDecimal.class) {
            node.put("type", "number");
        } else if (c.isEnum()) {
            node.put("type", "string");
            ArrayNode values = node.putArray("enum");
            for (Object constant : c.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
        } else if (c == URI.class) {
            node.put("type", "string");
            node.put("format", "uri");
        } else if (c == Instant.class) {
            node.put("type", "string");
            node.put("format", "date-time");
        } else if (c == LocalDate.class) {
            node.put("type", "string");
            node.put("format", "date");
        } else if (c == Duration.class) {
            node.put("type", "string");
            node.put("format", "duration");
        } else if (c.isArray()) {
            node.put("type", "array");
            node.set("items", describe(c.getComponentType(), visiting));
        } else if (Collection.class.isAssignableFrom(c)) {
            node.put("type", "array");
        } else if (Map.class.isAssignableFrom(c)) {
            node.put("type", "object");
        } else if (c.isRecord()) {
            if (!visiting.add(c)) {
                return node; // a recursive record: any JSON below this point
            }
            node.put("type", "object");
            node.put("title", c.getSimpleName());
            ObjectNode properties = node.putObject("properties");
            List<String> required = new ArrayList<>();
            for (RecordComponent component : c.getRecordComponents()) {
                String name = jsonName(component);
                ObjectNode property = describe(component.getGenericType(), visiting);
                properties.set(name, property);
                if (component.getType().isPrimitive() || !nullable(component)) {
                    required.add(name);
                }
            }
            if (!required.isEmpty()) {
                ArrayNode list = node.putArray("required");
                required.forEach(list::add);
            }
            visiting.remove(c);
        }
        return node;
    }

    private static String jsonName(RecordComponent component) {
        JsonProperty property = component.getAnnotation(JsonProperty.class);
        if (property == null && component.getAccessor() != null) {
            property = component.getAccessor().getAnnotation(JsonProperty.class);
        }
        if (property != null && !property.value().isEmpty()) {
            return property.value();
        }
        return component.getName();
    }

    private static boolean nullable(RecordComponent component) {
        AnnotatedType annotated = component.getAnnotatedType();
        return hasNullable(annotated) || hasNullable(component);
    }

    private static boolean hasNullable(AnnotatedElement element) {
        for (Annotation annotation : element.getAnnotations()) {
            String name = annotation.annotationType().getSimpleName();
            if (name.equals("Nullable") || name.equals("CheckForNull")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a schema node describes a secret. */
    public static boolean isSecret(@Nullable JsonNode schema) {
        return schema != null
                && schema.path("writeOnly").asBoolean(false)
                && "password".equals(schema.path("format").asText(""));
    }

    /** The lower-case JSON type of a schema node, or an empty string. */
    static String typeOf(@Nullable JsonNode schema) {
        return schema == null ? "" : schema.path("type").asText("").toLowerCase(Locale.ROOT);
    }
}
