package dev.postpurchase.systemeio.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.systemeio.ApiViolation;
import dev.postpurchase.systemeio.ContactField;
import dev.postpurchase.systemeio.ContactUpdate;
import dev.postpurchase.systemeio.NewContact;
import dev.postpurchase.systemeio.SystemeIoContact;
import dev.postpurchase.systemeio.SystemeIoPage;
import dev.postpurchase.systemeio.SystemeIoTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Request bodies and tolerant response readers for the Systeme.io API. Readers accept an {@code id} given as a
 * number or numeric string, or an API Platform IRI in {@code @id} ({@code /api/contacts/123}); collections in
 * {@code items} (or {@code hydra:member}); and problem bodies with {@code detail}, {@code hydra:description},
 * {@code message} or {@code title} and {@code violations[]}. A body that cannot be read throws {@link
 * MalformedResponseException}.
 */
public final class ApiJson {
    private static final ObjectMapper MAPPER = PostpurchaseJson.mapper();
    private static final int MAX_TEXT = 500;

    private ApiJson() {}

    /** {@code {"email": ..., "locale": ..., "fields": [{"slug": ..., "value": ...}]}}, leaving out what is absent. */
    public static String createContact(NewContact contact) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("email", contact.email());
        if (contact.locale() != null) {
            body.put("locale", contact.locale());
        }
        List<ContactField> fields = contact.fields();
        if (!fields.isEmpty()) {
            body.set("fields", fields(fields));
        }
        return write(body);
    }

    /** The merge patch of an update: {@code locale} when set, {@code fields} when any. */
    public static String updateContact(ContactUpdate update) {
        ObjectNode body = MAPPER.createObjectNode();
        if (update.locale() != null) {
            body.put("locale", update.locale());
        }
        if (!update.fields().isEmpty()) {
            body.set("fields", fields(update.fields()));
        }
        return write(body);
    }

    /** {@code {"name": ...}}. */
    public static String createTag(String name) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("name", name);
        return write(body);
    }

    /** {@code {"tagId": n}}. */
    public static String assignTag(long tagId) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("tagId", tagId);
        return write(body);
    }

    public static SystemeIoContact contact(String json) {
        return contact(tree(json));
    }

    public static SystemeIoTag tag(String json) {
        return tag(tree(json));
    }

    public static SystemeIoPage<SystemeIoContact> contactPage(String json) {
        return page(tree(json), ApiJson::contact);
    }

    public static SystemeIoPage<SystemeIoTag> tagPage(String json) {
        return page(tree(json), ApiJson::tag);
    }

    /** The problem's description, if the body is JSON and has one; bounded and free of control characters. */
    public static Optional<String> problemDetail(String body) {
        JsonNode node = tryTree(body);
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        for (String field : List.of("detail", "hydra:description", "message", "title", "error")) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                return Optional.of(clean(value.asText()));
            }
        }
        return Optional.empty();
    }

    /** The problem's {@code violations[]}, empty when there are none or the body is not JSON. */
    public static List<ApiViolation> violations(String body) {
        JsonNode node = tryTree(body);
        if (node == null || !node.isObject() || !node.path("violations").isArray()) {
            return List.of();
        }
        List<ApiViolation> result = new ArrayList<>();
        for (JsonNode v : node.get("violations")) {
            String message = text(v, "message");
            if (message == null) {
                message = text(v, "title");
            }
            if (message == null) {
                continue;
            }
            String path = text(v, "propertyPath");
            result.add(new ApiViolation(path == null ? "" : clean(path), clean(message), text(v, "code")));
            if (result.size() == 50) {
                break;
            }
        }
        return result;
    }

    private static SystemeIoContact contact(JsonNode node) {
        long id = id(node, "contact");
        String email = text(node, "email");
        if (email == null) {
            throw new MalformedResponseException("contact " + id + " has no email");
        }
        List<ContactField> fields = new ArrayList<>();
        for (JsonNode f : node.path("fields")) {
            String slug = text(f, "slug");
            if (slug != null) {
                fields.add(new ContactField(slug, text(f, "value")));
            }
        }
        List<SystemeIoTag> tags = new ArrayList<>();
        for (JsonNode t : node.path("tags")) {
            tags.add(tag(t));
        }
        return new SystemeIoContact(id, email, text(node, "locale"), fields, tags);
    }

    private static SystemeIoTag tag(JsonNode node) {
        long id = id(node, "tag");
        String name = text(node, "name");
        return new SystemeIoTag(id, name == null ? "" : name);
    }

    private static <T> SystemeIoPage<T> page(JsonNode node, Function<JsonNode, T> reader) {
        JsonNode items = node.has("items") ? node.get("items") : node.get("hydra:member");
        if (items == null || !items.isArray()) {
            throw new MalformedResponseException("the collection has no items array");
        }
        List<T> result = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            result.add(reader.apply(item));
        }
        return new SystemeIoPage<>(result, node.path("hasMore").asBoolean(false));
    }

    private static long id(JsonNode node, String what) {
        if (!node.isObject()) {
            throw new MalformedResponseException("expected a " + what + " object");
        }
        JsonNode id = node.get("id");
        if (id != null && id.canConvertToLong() && id.asLong() > 0) {
            return id.asLong();
        }
        if (id != null && id.isTextual() && id.asText().matches("\\d{1,18}")) {
            return Long.parseLong(id.asText());
        }
        String iri = text(node, "@id");
        if (iri != null && iri.matches(".*/\\d{1,18}")) {
            return Long.parseLong(iri.substring(iri.lastIndexOf('/') + 1));
        }
        throw new MalformedResponseException("the " + what + " has no usable id");
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static ArrayNode fields(List<ContactField> fields) {
        ArrayNode array = MAPPER.createArrayNode();
        for (ContactField f : fields) {
            ObjectNode field = array.addObject();
            field.put("slug", f.slug());
            if (f.value() == null) {
                field.putNull("value");
            } else {
                field.put("value", f.value());
            }
        }
        return array;
    }

    private static JsonNode tree(String json) {
        JsonNode node = tryTree(json);
        if (node == null) {
            throw new MalformedResponseException("the body is not JSON");
        }
        return node;
    }

    private static @Nullable JsonNode tryTree(String json) {
        if (json.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    /** Bounds a peer's text and replaces control characters, so it is safe in messages and run errors. */
    public static String clean(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT + 1));
        for (int i = 0; i < text.length() && out.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        if (text.length() > MAX_TEXT) {
            out.append('…');
        }
        return out.toString().strip();
    }

    /** A 2xx body the client cannot read. */
    public static final class MalformedResponseException extends RuntimeException {
        public MalformedResponseException(String message) {
            super(message);
        }
    }
}
