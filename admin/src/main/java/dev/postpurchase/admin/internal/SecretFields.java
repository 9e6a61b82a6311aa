package dev.postpurchase.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps a config's secrets on the server: {@link #mask} replaces every secret of a config (as its {@link
 * ConfigSchemas schema} marks them) by null and says which were set; {@link #merge} puts the stored secrets back into
 * an edited config wherever the editor left a secret empty (unchanged), unless it asked to clear it.
 */
public final class SecretFields {
    private SecretFields() {}

    /**
     * Replaces every secret in {@code config} (changed in place) by JSON null.
     *
     * @return the paths of the secrets that had a value ({@code secret}, {@code customFields[0].token})
     */
    public static Set<String> mask(JsonNode config, JsonNode schema) {
        Set<String> set = new TreeSet<>();
        walk(config, schema, "", set);
        return set;
    }

    private static void walk(JsonNode value, JsonNode schema, String path, Set<String> set) {
        String type = ConfigSchemas.typeOf(schema);
        if (value instanceof ObjectNode object && type.equals("object")) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            List<String> names = new java.util.ArrayList<>();
            object.properties().forEach(e -> names.add(e.getKey()));
            for (String name : names) {
                JsonNode fieldSchema = properties.has(name) ? properties.get(name) : additional;
                String fieldPath = path.isEmpty() ? name : path + "." + name;
                if (ConfigSchemas.isSecret(fieldSchema)) {
                    JsonNode secret = object.get(name);
                    if (secret != null && !secret.isNull() && !secret.asText("").isEmpty()) {
                        set.add(fieldPath);
                    }
                    object.set(name, NullNode.getInstance());
                } else if (!fieldSchema.isMissingNode()) {
                    walk(object.get(name), fieldSchema, fieldPath, set);
                } else if (looksSecret(name)) {
                    // a field the schema does not describe, with a secret's name: never sent
                    object.set(name, NullNode.getInstance());
                }
            }
        } else if (value instanceof ArrayNode array && type.equals("array")) {
            JsonNode items = schema.path("items");
            for (int i = 0; i < array.size(); i++) {
                String itemPath = path + "[" + i + "]";
                if (ConfigSchemas.isSecret(items)) {
                    if (!array.get(i).isNull()) {
                        set.add(itemPath);
                    }
                    array.set(i, NullNode.getInstance());
                } else {
                    walk(array.get(i), items, itemPath, set);
                }
            }
        }
    }

    private static boolean looksSecret(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.contains("secret") || n.contains("password") || n.contains("apikey") || n.contains("token");
    }

    /**
     * Completes an edited config (changed in place) with the stored one's secrets: every secret the editor sent as
     * null, empty or missing takes the stored value, unless its path is in {@code clear}.
     */
    public static void merge(JsonNode edited, JsonNode stored, JsonNode schema, Set<String> clear) {
        merge(edited, stored, schema, "", clear);
    }

    private static void merge(JsonNode edited, JsonNode stored, JsonNode schema, String path, Set<String> clear) {
        String type = ConfigSchemas.typeOf(schema);
        if (edited instanceof ObjectNode object && stored instanceof ObjectNode old && type.equals("object")) {
            JsonNode properties = schema.path("properties");
            for (Map.Entry<String, JsonNode> property : properties.properties()) {
                String name = property.getKey();
                String fieldPath = path.isEmpty() ? name : path + "." + name;
                if (ConfigSchemas.isSecret(property.getValue())) {
                    JsonNode given = object.get(name);
                    boolean empty =
                            given == null || given.isNull() || given.asText("").isEmpty();
                    if (empty && !clear.contains(fieldPath) && old.hasNonNull(name)) {
                        object.set(name, old.get(name));
                    } else if (empty) {
                        object.set(name, NullNode.getInstance());
                    }
                } else if (object.has(name) && old.has(name)) {
                    merge(object.get(name), old.get(name), property.getValue(), fieldPath, clear);
                }
            }
        } else if (edited instanceof ArrayNode array && stored instanceof ArrayNode old && type.equals("array")) {
            JsonNode items = schema.path("items");
            for (int i = 0; i < array.size() && i < old.size(); i++) {
                merge(array.get(i), old.get(i), items, path + "[" + i + "]", clear);
            }
        }
    }
}
