package dev.postpurchase.systemeio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;

/**
 * Plays the Systeme.io public API for MockWebServer, following the shapes of reference/systemeio.md: contacts and
 * tags kept in memory, {@code X-API-Key} checked, cursor paging with {@code limit} 10–100 and {@code startingAfter},
 * {@code {items, hasMore}} collections, API Platform problem bodies with {@code violations} on 422, 201 on create,
 * 204 on tag assignment and removal. Every request is recorded; one-shot scripted answers can be queued for a
 * request matching a predicate (429, 5xx, ...).
 */
final class FakeSystemeIo extends Dispatcher {
    static final String KEY = "sk_live_5f3c9e1a7b2d4f60a8c1e3b5d7f9a2c4";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONTACT = Pattern.compile("/api/contacts/(\\d+)");
    private static final Pattern CONTACT_TAGS = Pattern.compile("/api/contacts/(\\d+)/tags");
    private static final Pattern CONTACT_TAG = Pattern.compile("/api/contacts/(\\d+)/tags/(\\d+)");

    /** A request as received, with its body as text. */
    record Call(String method, String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String line() {
            return method + " " + path;
        }
    }

    private record Scripted(Predicate<RecordedRequest> when, MockResponse response) {}

    private final Map<Long, ObjectNode> contacts = new LinkedHashMap<>();
    private final Map<Long, Set<Long>> contactTags = new LinkedHashMap<>();
    private final Map<Long, String> tags = new TreeMap<>();
    private final Map<String, Integer> assignments = new TreeMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Deque<Scripted> scripted = new ConcurrentLinkedDeque<>();
    /** The {@code locale} enum of {@code POST /api/contacts} in the official OpenAPI document. */
    static final List<String> OFFICIAL_LOCALES = List.of(
            "en", "fr", "es", "it", "pt", "de", "nl", "ru", "jp", "tr", "ar", "zh", "sv", "ro", "cs", "hu", "sk", "dk",
            "id", "pl", "el", "sr", "hi", "no", "th", "sq", "sl", "ua");

    /** {@code POST /api/tags}: {@code name} has maxLength 64 in the official OpenAPI document. */
    static final int TAG_NAME_MAX_LENGTH = 64;

    private final Set<String> locales = new LinkedHashSet<>(OFFICIAL_LOCALES);
    private @Nullable Consumer<String> beforeCreateContact;
    private long nextContactId = 1000;
    private long nextTagId = 1;

    // ---- state set up by tests

    synchronized long addTag(String name) {
        long id = nextTagId++;
        tags.put(id, name);
        return id;
    }

    synchronized long addContact(String email, String... tagNames) {
        long id = nextContactId++;
        ObjectNode contact = JSON.createObjectNode();
        contact.put("id", id);
        contact.put("email", email);
        contact.put("registeredAt", "2025-01-15T10:00:00+00:00");
        contact.put("locale", "en");
        contact.put("unsubscribed", false);
        contact.put("bounced", false);
        contact.put("needsConfirmation", false);
        contact.putArray("fields");
        contacts.put(id, contact);
        Set<Long> assigned = new LinkedHashSet<>();
        for (String name : tagNames) {
            assigned.add(tagId(name));
        }
        contactTags.put(id, assigned);
        return id;
    }

    /** Assigns a tag directly, as if done in the Systeme.io dashboard (no automation count). */
    synchronized void addContactTagForTest(String email, String tagName) {
        ObjectNode contact = contactByEmail(email);
        contactTags.get(contact.get("id").asLong()).add(tagId(tagName));
    }

    synchronized long tagId(String name) {
        return tags.entrySet().stream()
                .filter(e -> e.getValue().equals(name))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tag " + name));
    }

    synchronized void restrictLocales(String... allowed) {
        locales.clear();
        locales.addAll(List.of(allowed));
    }

    /** Runs before a contact is created, with its email: lets a test create it "concurrently". */
    synchronized void beforeCreateContact(Consumer<String> hook) {
        this.beforeCreateContact = hook;
    }

    /** The next request matching {@code when} gets {@code response} instead of the normal answer. */
    void scriptOnce(Predicate<RecordedRequest> when, MockResponse response) {
        scripted.add(new Scripted(when, response));
    }

    static Predicate<RecordedRequest> path(String method, String pathPrefix) {
        return r -> method.equals(r.getMethod())
                && r.getPath() != null
                && r.getPath().startsWith(pathPrefix);
    }

    // ---- what tests assert on

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<String> lines() {
        return calls.stream().map(Call::line).toList();
    }

    void clearCalls() {
        calls.clear();
    }

    synchronized @Nullable ObjectNode contactByEmail(String email) {
        return contacts.values().stream()
                .filter(c -> c.get("email").asText().equalsIgnoreCase(email))
                .findFirst()
                .map(ObjectNode::deepCopy)
                .orElse(null);
    }

    synchronized int contactCount() {
        return contacts.size();
    }

    synchronized Set<String> tagNamesOf(String email) {
        ObjectNode contact = contactByEmail(email);
        if (contact == null) {
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (long id : contactTags.get(contact.get("id").asLong())) {
            names.add(tags.get(id));
        }
        return names;
    }

    /** How many times each "contactId:tagId" was assigned through the API. */
    synchronized Map<String, Integer> assignments() {
        return new TreeMap<>(assignments);
    }

    synchronized int tagCount() {
        return tags.size();
    }

    // ---- the API

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Map<String, String> headers = new TreeMap<>();
        for (String name : request.getHeaders().names()) {
            headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        String body = request.getBody().snapshot().utf8();
        calls.add(new Call(request.getMethod(), request.getPath(), headers, body));
        for (Scripted s : scripted) {
            if (s.when().test(request) && scripted.remove(s)) {
                return s.response();
            }
        }
        if (!KEY.equals(request.getHeader("X-API-Key"))) {
            return problem(401, "Invalid API key.", null);
        }
        if (!"application/json".equals(request.getHeader("Accept"))) {
            return problem(406, "Not acceptable.", null);
        }
        try {
            synchronized (this) {
                return route(request.getMethod(), request.getRequestUrl(), request.getHeader("Content-Type"), body);
            }
        } catch (IOException e) {
            return problem(400, "Syntax error", null);
        }
    }

    private MockResponse route(String method, okhttp3.HttpUrl url, @Nullable String contentType, String body)
            throws IOException {
        String path = url.encodedPath();
        boolean json = "application/json".equals(contentType);
        if (path.equals("/api/contacts") && method.equals("GET")) {
            return listContacts(url);
        }
        if (path.equals("/api/contacts") && method.equals("POST")) {
            return json ? createContact(JSON.readTree(body)) : unsupported();
        }
        if (path.equals("/api/tags") && method.equals("GET")) {
            return listTags(url);
        }
        if (path.equals("/api/tags") && method.equals("POST")) {
            return json ? createTag(JSON.readTree(body)) : unsupported();
        }
        Matcher m = CONTACT_TAG.matcher(path);
        if (m.matches() && method.equals("DELETE")) {
            Set<Long> assigned = contactTags.get(Long.parseLong(m.group(1)));
            boolean removed = assigned != null && assigned.remove(Long.parseLong(m.group(2)));
            return removed ? new MockResponse().setResponseCode(204) : problem(404, "Not Found", null);
        }
        m = CONTACT_TAGS.matcher(path);
        if (m.matches() && method.equals("POST")) {
            return json ? assign(Long.parseLong(m.group(1)), JSON.readTree(body)) : unsupported();
        }
        m = CONTACT.matcher(path);
        if (m.matches() && method.equals("GET")) {
            ObjectNode contact = contacts.get(Long.parseLong(m.group(1)));
            return contact == null ? problem(404, "Not Found", null) : ok(200, render(contact));
        }
        if (m.matches() && method.equals("PATCH")) {
            if (!"application/merge-patch+json".equals(contentType)) {
                return unsupported();
            }
            ObjectNode contact = contacts.get(Long.parseLong(m.group(1)));
            if (contact == null) {
                return problem(404, "Not Found", null);
            }
            JsonNode patch = JSON.readTree(body);
            if (patch.has("locale")) {
                contact.put("locale", patch.get("locale").asText());
            }
            mergeFields(contact, patch.path("fields"));
            return ok(200, render(contact));
        }
        return problem(404, "No route found for \"" + method + " " + path + "\"", null);
    }

    private MockResponse listContacts(okhttp3.HttpUrl url) {
        MockResponse bad = checkLimit(url);
        if (bad != null) {
            return bad;
        }
        String email = url.queryParameter("email");
        ArrayNode items = JSON.createArrayNode();
        for (ObjectNode contact : contacts.values()) {
            if (email == null || contact.get("email").asText().equalsIgnoreCase(email)) {
                items.add(render(contact));
            }
        }
        ObjectNode page = JSON.createObjectNode();
        page.set("items", items);
        page.put("hasMore", false);
        return ok(200, page);
    }

    private MockResponse createContact(JsonNode body) {
        String email = body.path("email").asText("");
        if (beforeCreateContact != null) {
            Consumer<String> hook = beforeCreateContact;
            beforeCreateContact = null;
            hook.accept(email);
        }
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            return problem(422, null, violation("email", "This value is not a valid email address."));
        }
        if (contactByEmail(email) != null) {
            return problem(422, null, violation("email", "This value is already used."));
        }
        if (body.has("locale") && !locales.contains(body.get("locale").asText())) {
            return problem(422, null, violation("locale", "The value you selected is not a valid choice."));
        }
        for (JsonNode field : body.path("fields")) {
            if (field.path("value").asText("").length() > 255) {
                return problem(422, null, violation("fields[0].value", "This value is too long."));
            }
        }
        long id = addContact(email);
        ObjectNode contact = contacts.get(id);
        if (body.has("locale")) {
            contact.put("locale", body.get("locale").asText());
        }
        mergeFields(contact, body.path("fields"));
        return ok(201, render(contact));
    }

    private MockResponse listTags(okhttp3.HttpUrl url) {
        MockResponse bad = checkLimit(url);
        if (bad != null) {
            return bad;
        }
        int limit = Integer.parseInt(url.queryParameter("limit"));
        String after = url.queryParameter("startingAfter");
        boolean asc = "asc".equals(url.queryParameter("order"));
        List<Long> ids = new ArrayList<>(tags.keySet());
        if (!asc) {
            java.util.Collections.reverse(ids);
        }
        if (after != null) {
            long cursor = Long.parseLong(after);
            ids.removeIf(id -> asc ? id <= cursor : id >= cursor);
        }
        ArrayNode items = JSON.createArrayNode();
        for (long id : ids.subList(0, Math.min(limit, ids.size()))) {
            ObjectNode tag = items.addObject();
            tag.put("id", id);
            tag.put("name", tags.get(id));
            tag.put("createdAt", "2025-01-01T00:00:00+00:00");
        }
        ObjectNode page = JSON.createObjectNode();
        page.set("items", items);
        page.put("hasMore", ids.size() > limit);
        return ok(200, page);
    }

    private MockResponse createTag(JsonNode body) {
        String name = body.path("name").asText("");
        if (name.isBlank()) {
            return problem(422, null, violation("name", "This value should not be blank."));
        }
        if (name.codePointCount(0, name.length()) > TAG_NAME_MAX_LENGTH) {
            return problem(
                    422, null, violation("name", "This value is too long. It should have 64 characters or less."));
        }
        long id = addTag(name);
        ObjectNode tag = JSON.createObjectNode();
        tag.put("id", id);
        tag.put("name", name);
        tag.put("createdAt", "2025-01-01T00:00:00+00:00");
        return ok(201, tag);
    }

    private MockResponse assign(long contactId, JsonNode body) {
        Set<Long> assigned = contactTags.get(contactId);
        if (assigned == null) {
            return problem(404, "Not Found", null);
        }
        if (!body.path("tagId").canConvertToLong()) {
            return problem(422, null, violation("tagId", "This value should not be blank."));
        }
        long tagId = body.get("tagId").asLong();
        if (!tags.containsKey(tagId)) {
            return problem(404, "Tag not found", null);
        }
        assignments.merge(contactId + ":" + tagId, 1, Integer::sum);
        assigned.add(tagId);
        return new MockResponse().setResponseCode(204);
    }

    private @Nullable MockResponse checkLimit(okhttp3.HttpUrl url) {
        String limit = url.queryParameter("limit");
        if (limit == null) {
            return null;
        }
        int n = Integer.parseInt(limit);
        if (n < 10 || n > 100) {
            return problem(422, null, violation("limit", "This value should be between 10 and 100."));
        }
        return null;
    }

    private ObjectNode render(ObjectNode contact) {
        ObjectNode out = contact.deepCopy();
        ArrayNode tagArray = out.putArray("tags");
        for (long id : contactTags.get(contact.get("id").asLong())) {
            ObjectNode tag = tagArray.addObject();
            tag.put("id", id);
            tag.put("name", tags.get(id));
        }
        return out;
    }

    private static void mergeFields(ObjectNode contact, JsonNode fields) {
        ArrayNode existing = (ArrayNode) contact.get("fields");
        for (JsonNode field : fields) {
            String slug = field.get("slug").asText();
            for (int i = existing.size() - 1; i >= 0; i--) {
                if (existing.get(i).get("slug").asText().equals(slug)) {
                    existing.remove(i);
                }
            }
            ObjectNode copy = existing.addObject();
            copy.put("fieldName", slug.replace('_', ' '));
            copy.put("slug", slug);
            copy.set("value", field.get("value"));
        }
    }

    static ObjectNode violation(String path, String message) {
        ObjectNode v = JSON.createObjectNode();
        v.put("propertyPath", path);
        v.put("message", message);
        v.put("code", "c1051bb4-d103-4f74-8988-acbcafc7fdc3");
        return v;
    }

    /** An API Platform problem: {@code application/problem+json} with type, title, detail and violations. */
    static MockResponse problem(int status, @Nullable String detail, @Nullable ObjectNode violation) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", violation != null ? "https://symfony.com/errors/validation" : "/errors/" + status);
        body.put("title", violation != null ? "Validation Failed" : "An error occurred");
        if (violation != null) {
            body.put(
                    "detail",
                    violation.get("propertyPath").asText() + ": "
                            + violation.get("message").asText());
            body.putArray("violations").add(violation);
        } else {
            body.put("detail", detail);
        }
        return new MockResponse()
                .setResponseCode(status)
                .setHeader("Content-Type", "application/problem+json")
                .setBody(body.toString());
    }

    private static MockResponse unsupported() {
        return problem(415, "The content-type is not supported.", null);
    }

    private static MockResponse ok(int status, JsonNode body) {
        return new MockResponse()
                .setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setHeader("X-RateLimit-Limit", "60")
                .setHeader("X-RateLimit-Remaining", "59")
                .setBody(body.toString());
    }

    static String decode(String query) {
        return URLDecoder.decode(query, StandardCharsets.UTF_8);
    }
}
