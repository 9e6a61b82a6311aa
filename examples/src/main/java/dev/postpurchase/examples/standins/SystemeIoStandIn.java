package dev.postpurchase.examples.standins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.examples.standins.StandInServer.Request;
import dev.postpurchase.examples.standins.StandInServer.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The parts of the Systeme.io public API the SDK uses, in memory: contacts (find by email, create, get, update),
 * tags (list with cursor paging, create), and tag assignment. Requires the {@code X-API-Key} it was given.
 * Collections answer {@code {items, hasMore}}; a duplicate email answers 422 with a violation, as API Platform does.
 */
public final class SystemeIoStandIn implements StandInServer.Handler {
    private final String apiKey;
    private final AtomicLong ids = new AtomicLong(1000);
    private final Map<Long, ObjectNode> contacts = new TreeMap<>();
    private final Map<Long, Set<Long>> tagsOfContact = new TreeMap<>();
    private final Map<Long, String> tags = new TreeMap<>();
    private int tagAssignments;

    public SystemeIoStandIn(String apiKey) {
        this.apiKey = apiKey;
    }

    /** Creates a tag, as a merchant does in the Systeme.io dashboard. */
    public synchronized long createTag(String name) {
        long id = ids.incrementAndGet();
        tags.put(id, name);
        return id;
    }

    @Override
    public synchronized Response handle(Request request) throws Exception {
        if (!apiKey.equals(request.header("X-API-Key"))) {
            return Response.json(401, "{\"detail\":\"Invalid API key\"}");
        }
        String path = request.path();
        Map<String, String> query = query(request.query());
        String method = request.method();
        if (path.equals("/api/contacts") && method.equals("GET")) {
            ArrayNode items = PostpurchaseJson.mapper().createArrayNode();
            for (Map.Entry<Long, ObjectNode> e : contacts.entrySet()) {
                String email = query.get("email");
                if (email == null
                        || email.equalsIgnoreCase(e.getValue().path("email").asText())) {
                    items.add(view(e.getKey()));
                }
            }
            return page(items, false);
        }
        if (path.equals("/api/contacts") && method.equals("POST")) {
            JsonNode body = PostpurchaseJson.mapper().readTree(request.body());
            String email = body.path("email").asText("");
            for (ObjectNode c : contacts.values()) {
                if (c.path("email").asText().equalsIgnoreCase(email)) {
                    return Response.json(
                            422,
                            "{\"violations\":[{\"propertyPath\":\"email\",\"message\":\"This value is already used.\"}]}");
                }
            }
            long id = ids.incrementAndGet();
            ObjectNode contact = PostpurchaseJson.mapper().createObjectNode();
            contact.put("email", email);
            contact.put("locale", body.path("locale").asText("en"));
            contact.set(
                    "fields",
                    body.path("fields").isArray()
                            ? body.get("fields")
                            : PostpurchaseJson.mapper().createArrayNode());
            contacts.put(id, contact);
            tagsOfContact.put(id, new TreeSet<>());
            return Response.json(201, PostpurchaseJson.write(view(id)));
        }
        if (path.matches("/api/contacts/\\d+") && (method.equals("GET") || method.equals("PATCH"))) {
            long id = Long.parseLong(path.substring("/api/contacts/".length()));
            if (!contacts.containsKey(id)) {
                return Response.json(404, "{\"detail\":\"Not Found\"}");
            }
            if (method.equals("PATCH")) {
                JsonNode body = PostpurchaseJson.mapper().readTree(request.body());
                if (body.has("fields")) {
                    contacts.get(id).set("fields", body.get("fields"));
                }
            }
            return Response.json(200, PostpurchaseJson.write(view(id)));
        }
        if (path.matches("/api/contacts/\\d+/tags") && method.equals("POST")) {
            long id = Long.parseLong(path.split("/")[3]);
            long tagId = PostpurchaseJson.mapper()
                    .readTree(request.body())
                    .path("tagId")
                    .asLong();
            if (!contacts.containsKey(id) || !tags.containsKey(tagId)) {
                return Response.json(404, "{\"detail\":\"Not Found\"}");
            }
            assigned(id).add(tagId);
            tagAssignments++;
            return Response.empty(204);
        }
        if (path.matches("/api/contacts/\\d+/tags/\\d+") && method.equals("DELETE")) {
            String[] parts = path.split("/");
            Set<Long> assigned = tagsOfContact.get(Long.parseLong(parts[3]));
            if (assigned == null || !assigned.remove(Long.parseLong(parts[5]))) {
                return Response.json(404, "{\"detail\":\"Not Found\"}");
            }
            return Response.empty(204);
        }
        if (path.equals("/api/tags") && method.equals("GET")) {
            long after = Long.parseLong(query.getOrDefault("startingAfter", "0"));
            int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
            ArrayNode items = PostpurchaseJson.mapper().createArrayNode();
            boolean more = false;
            for (Map.Entry<Long, String> e : tags.entrySet()) {
                if (e.getKey() <= after) {
                    continue;
                }
                if (items.size() == limit) {
                    more = true;
                    break;
                }
                items.add(tag(e.getKey()));
            }
            return page(items, more);
        }
        if (path.equals("/api/tags") && method.equals("POST")) {
            long id = createTag(PostpurchaseJson.mapper()
                    .readTree(request.body())
                    .path("name")
                    .asText());
            return Response.json(201, PostpurchaseJson.write(tag(id)));
        }
        return Response.json(404, "{\"detail\":\"No route for " + method + " " + path + "\"}");
    }

    /** The tag names the contact with this email has, or null when there is no such contact. */
    public synchronized @Nullable Set<String> tagsOf(String email) {
        for (Map.Entry<Long, ObjectNode> e : contacts.entrySet()) {
            if (e.getValue().path("email").asText().equalsIgnoreCase(email)) {
                Set<String> names = new TreeSet<>();
                assigned(e.getKey()).forEach(t -> names.add(tags.get(t)));
                return names;
            }
        }
        return null;
    }

    /** How many tag assignments were made in all (a re-run must not add a tag twice). */
    public synchronized int tagAssignments() {
        return tagAssignments;
    }

    private ObjectNode view(long id) {
        ObjectNode v = Objects.requireNonNull(contacts.get(id), "contact").deepCopy();
        v.put("id", id);
        ArrayNode t = v.putArray("tags");
        assigned(id).forEach(tagId -> t.add(tag(tagId)));
        return v;
    }

    /** The tag ids of a contact: every contact gets its (empty) set when it is created. */
    private Set<Long> assigned(long contactId) {
        return Objects.requireNonNull(tagsOfContact.get(contactId), "tags of contact");
    }

    private ObjectNode tag(long id) {
        ObjectNode t = PostpurchaseJson.mapper().createObjectNode();
        t.put("id", id);
        t.put("name", tags.get(id));
        return t;
    }

    private static Response page(ArrayNode items, boolean hasMore) {
        ObjectNode page = PostpurchaseJson.mapper().createObjectNode();
        page.set("items", items);
        page.put("hasMore", hasMore);
        return Response.json(200, PostpurchaseJson.write(page));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }
}
