package dev.postpurchase.systemeio;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.systemeio.internal.ApiJson;
import dev.postpurchase.systemeio.internal.ApiRequest;
import dev.postpurchase.systemeio.internal.ApiResponse;
import dev.postpurchase.systemeio.internal.ApiTransport;
import dev.postpurchase.systemeio.internal.BaseUrls;
import dev.postpurchase.systemeio.internal.GuardedTransport;
import dev.postpurchase.systemeio.internal.RateLimitHeaders;
import dev.postpurchase.systemeio.internal.TagNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small typed client for the Systeme.io public API (contacts and tags), bound to one API key.
 *
 * <p>Every call carries {@code X-API-Key} and {@code Accept: application/json}; POST bodies are
 * {@code application/json} and PATCH bodies {@code application/merge-patch+json}. Before each call the client takes
 * a permit from its {@link SystemeIoThrottle}; a 429, or a response reporting no quota left, pauses the throttle
 * for that key.
 *
 * <p>Errors: 401/403 → {@link SystemeIoAuthenticationException}; 400/422 → {@link SystemeIoValidationException}
 * with the API's violations; 404 → {@link SystemeIoNotFoundException}; 429 → {@link SystemeIoRateLimitedException}
 * carrying {@code Retry-After}, else {@code X-RateLimit-Refill}, else the fallback wait; 5xx or an unreadable 2xx
 * body → {@link SystemeIoServerException}; other statuses → {@link SystemeIoException}. Transport failures surface
 * as the guarded HTTP client's exceptions ({@code dev.postpurchase.http.HttpCallException} and subclasses).
 * Messages name the operation and status, never the key, and do not contain the request's query (where emails go).
 *
 * <p>Thread-safe. Create one through {@link SystemeIoIntegration#client(Secret)} or {@link #builder()}.
 */
public final class SystemeIoClient {
    /** The production API. */
    public static final String DEFAULT_BASE_URL = "https://api.systeme.io";

    /** The largest page the API serves ({@code limit} accepts 10 to 100). */
    public static final int MAX_PAGE_SIZE = 100;

    /** The smallest page the API serves. */
    public static final int MIN_PAGE_SIZE = 10;

    private static final Logger LOG = LoggerFactory.getLogger(SystemeIoClient.class);
    private static final int MAX_PAGES = 1000;

    private final ApiTransport transport;
    private final Secret apiKey;
    private final SystemeIoThrottle throttle;
    private final Clock clock;
    private final Duration rateLimitFallback;

    SystemeIoClient(
            ApiTransport transport,
            Secret apiKey,
            SystemeIoThrottle throttle,
            Clock clock,
            Duration rateLimitFallback) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rateLimitFallback = Objects.requireNonNull(rateLimitFallback, "rateLimitFallback");
    }

    /** Starts a client; {@link Builder#apiKey} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The contact with this email ({@code GET /api/contacts?email=…&limit=10}), compared ignoring case, or empty.
     */
    public Optional<SystemeIoContact> findContactByEmail(String email) {
        Objects.requireNonNull(email, "email");
        ApiResponse response = call(ApiRequest.get(
                "find contact by email", "/api/contacts?email=" + encode(email) + "&limit=" + MIN_PAGE_SIZE));
        SystemeIoPage<SystemeIoContact> page = read(response, "find contact by email", ApiJson::contactPage);
        return page.items().stream()
                .filter(c -> c.email().equalsIgnoreCase(email.strip()))
                .findFirst();
    }

    /** One contact by id ({@code GET /api/contacts/{id}}), with its current tags. */
    public SystemeIoContact getContact(long contactId) {
        requireId("contactId", contactId);
        ApiResponse response = call(ApiRequest.get("get contact", "/api/contacts/" + contactId));
        return read(response, "get contact", ApiJson::contact);
    }

    /**
     * Creates a contact ({@code POST /api/contacts}) with its email, locale and name and phone as {@code fields}.
     * An email that already exists is refused by the API with 422 ({@code email: This value is already used.}).
     */
    public SystemeIoContact createContact(NewContact contact) {
        Objects.requireNonNull(contact, "contact");
        ApiResponse response = call(ApiRequest.post("create contact", "/api/contacts", ApiJson.createContact(contact)));
        return read(response, "create contact", ApiJson::contact);
    }

    /** Changes a contact's locale or fields ({@code PATCH /api/contacts/{id}} as JSON Merge Patch). */
    public SystemeIoContact updateContact(long contactId, ContactUpdate update) {
        requireId("contactId", contactId);
        Objects.requireNonNull(update, "update");
        ApiResponse response =
                call(ApiRequest.patch("update contact", "/api/contacts/" + contactId, ApiJson.updateContact(update)));
        return read(response, "update contact", ApiJson::contact);
    }

    /**
     * One page of tags ({@code GET /api/tags?limit=…&startingAfter=…}), oldest first.
     *
     * @param startingAfter the id of the previous page's last tag, or null for the first page
     * @param limit the page size, 10 to 100
     */
    public SystemeIoPage<SystemeIoTag> listTags(@Nullable Long startingAfter, int limit) {
        if (limit < MIN_PAGE_SIZE || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be between 10 and 100, was " + limit);
        }
        StringBuilder path = new StringBuilder("/api/tags?limit=").append(limit).append("&order=asc");
        if (startingAfter != null) {
            requireId("startingAfter", startingAfter);
            path.append("&startingAfter=").append(startingAfter);
        }
        ApiResponse response = call(ApiRequest.get("list tags", path.toString()));
        return read(response, "list tags", ApiJson::tagPage);
    }

    /** Every tag of the account, following the cursor across all pages of 100. */
    public List<SystemeIoTag> listTags() {
        List<SystemeIoTag> all = new ArrayList<>();
        Long cursor = null;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            SystemeIoPage<SystemeIoTag> page = listTags(cursor, MAX_PAGE_SIZE);
            all.addAll(page.items());
            Long next = page.nextCursor(SystemeIoTag::id);
            if (next == null) {
                return all;
            }
            if (next.equals(cursor)) {
                throw new SystemeIoServerException(
                        "Systeme.io list tags did not advance past tag " + next + "; stopped paging", 200, List.of());
            }
            cursor = next;
        }
        throw new SystemeIoServerException(
                "Systeme.io list tags still had more after " + MAX_PAGES + " pages; stopped paging", 200, List.of());
    }

    /** Creates a tag ({@code POST /api/tags}); the API takes names of 1 to 64 characters. */
    public SystemeIoTag createTag(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (TagNames.length(name.strip()) > TagNames.MAX_LENGTH) {
            throw new IllegalArgumentException("name must be at most " + TagNames.MAX_LENGTH + " characters");
        }
        ApiResponse response = call(ApiRequest.post("create tag", "/api/tags", ApiJson.createTag(name.strip())));
        return read(response, "create tag", ApiJson::tag);
    }

    /**
     * Assigns a tag to a contact ({@code POST /api/contacts/{id}/tags} with {@code {"tagId": n}}), which starts the
     * automations attached to the tag. Whether assigning a tag the contact already has starts them again is not
     * documented: check {@link SystemeIoContact#hasTag} first.
     */
    public void addTagToContact(long contactId, long tagId) {
        requireId("contactId", contactId);
        requireId("tagId", tagId);
        call(ApiRequest.post("add tag to contact", "/api/contacts/" + contactId + "/tags", ApiJson.assignTag(tagId)));
    }

    /**
     * Removes a tag from a contact ({@code DELETE /api/contacts/{id}/tags/{tagId}}).
     *
     * @return true when removed, false when the API answered 404 (the tag was not assigned, or the contact or tag
     *     no longer exists)
     */
    public boolean removeTagFromContact(long contactId, long tagId) {
        requireId("contactId", contactId);
        requireId("tagId", tagId);
        try {
            call(ApiRequest.delete("remove tag from contact", "/api/contacts/" + contactId + "/tags/" + tagId));
            return true;
        } catch (SystemeIoNotFoundException e) {
            return false;
        }
    }

    private ApiResponse call(ApiRequest request) {
        throttle.acquire(apiKey);
        ApiResponse response = transport.send(request);
        LOG.debug("Systeme.io {} {} → {}", request.method(), request.operation(), response.status());
        if (response.successful()) {
            RateLimitHeaders.exhaustedFor(response, clock.instant()).ifPresent(wait -> throttle.pause(apiKey, wait));
            return response;
        }
        throw error(request, response);
    }

    private SystemeIoException error(ApiRequest request, ApiResponse response) {
        int status = response.status();
        List<ApiViolation> violations = ApiJson.violations(response.body()).stream()
                .map(v -> new ApiViolation(scrub(v.propertyPath()), scrub(v.message()), v.code()))
                .toList();
        String detail = ApiJson.problemDetail(response.body()).map(this::scrub).orElse(null);
        String base = "Systeme.io " + request.operation() + " failed with HTTP " + status;
        if (status == 429) {
            Optional<Duration> announced = RateLimitHeaders.waitOf(response, clock.instant());
            Duration wait = announced.orElse(rateLimitFallback);
            throttle.pause(apiKey, wait);
            return new SystemeIoRateLimitedException(
                    base + " (rate limited; retry in " + wait.toSeconds() + " s"
                            + (announced.isPresent() ? "" : ", no Retry-After or X-RateLimit-Refill sent") + ")",
                    status,
                    violations,
                    wait,
                    announced.isPresent());
        }
        String message = base + describe(detail, violations);
        if (status == 401 || status == 403) {
            return new SystemeIoAuthenticationException(
                    base + ": the API key was refused (invalid, expired or revoked); replace it in the Systeme.io"
                            + " integration settings" + describe(detail, violations),
                    status,
                    violations);
        }
        if (status == 400 || status == 422) {
            return new SystemeIoValidationException(message, status, violations);
        }
        if (status == 404) {
            return new SystemeIoNotFoundException(message, violations);
        }
        if (status >= 500) {
            return new SystemeIoServerException(message, status, violations);
        }
        return new SystemeIoException(message, status, violations);
    }

    private static String describe(@Nullable String detail, List<ApiViolation> violations) {
        StringBuilder out = new StringBuilder();
        if (!violations.isEmpty()) {
            out.append(": ")
                    .append(violations.stream().map(ApiViolation::toString).collect(Collectors.joining("; ")));
        } else if (detail != null) {
            out.append(": ").append(detail);
        }
        return out.toString();
    }

    private <T> T read(ApiResponse response, String operation, java.util.function.Function<String, T> reader) {
        try {
            return reader.apply(response.body());
        } catch (ApiJson.MalformedResponseException | IllegalArgumentException e) {
            throw new SystemeIoServerException(
                    "Systeme.io " + operation + " answered HTTP " + response.status() + " with an unreadable body: "
                            + e.getMessage(),
                    response.status(),
                    List.of());
        }
    }

    /** Peer text is echoed into messages; make sure it can never carry the key back out. */
    private String scrub(String text) {
        String key = apiKey.reveal();
        return key.length() >= 4 ? text.replace(key, "***") : text;
    }

    private static void requireId(String name, long id) {
        if (id <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + id);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value.strip(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SystemeIoClient[apiKey=***, throttle=" + throttle + "]";
    }

    /** Mutable, not thread-safe builder of {@link SystemeIoClient}. */
    public static final class Builder {
        private String baseUrl = DEFAULT_BASE_URL;
        private @Nullable Secret apiKey;
        private @Nullable GuardedHttpClient http;
        private @Nullable SystemeIoThrottle throttle;
        private Clock clock = Clock.systemUTC();
        private Duration rateLimitFallback = Duration.ofSeconds(60);

        private Builder() {}

        /** The API's base URL; default {@value SystemeIoClient#DEFAULT_BASE_URL}. Must pass the HTTP client's policy. */
        public Builder baseUrl(String value) {
            this.baseUrl = value;
            return this;
        }

        /** Required: the account's API key, sent as {@code X-API-Key}. */
        public Builder apiKey(Secret value) {
            this.apiKey = value;
            return this;
        }

        /** The guarded HTTP client; default {@link GuardedHttpClient#createDefault()} (https only, no allow-list). */
        public Builder http(GuardedHttpClient value) {
            this.http = value;
            return this;
        }

        /** The throttle; default {@link SystemeIoThrottle#defaults()}. Share one per account. */
        public Builder throttle(SystemeIoThrottle value) {
            this.throttle = value;
            return this;
        }

        /** The clock used to read date-valued rate-limit headers; default UTC system clock. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** The wait assumed after a 429 that names none; default 60 s. */
        public Builder rateLimitFallback(Duration value) {
            this.rateLimitFallback = value;
            return this;
        }

        /** Validates and builds; throws {@link ValidationException} naming the bad setting. */
        public SystemeIoClient build() {
            List<Violation> v = new ArrayList<>();
            if (apiKey == null || apiKey.isBlank()) {
                v.add(new Violation("apiKey", "is required"));
            }
            if (rateLimitFallback == null
                    || rateLimitFallback.isNegative()
                    || rateLimitFallback.isZero()
                    || rateLimitFallback.compareTo(Duration.ofDays(1)) > 0) {
                v.add(new Violation("rateLimitFallback", "must be positive and at most a day"));
            }
            if (clock == null) {
                v.add(new Violation("clock", "is required"));
            }
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
            GuardedHttpClient client = http != null ? http : GuardedHttpClient.createDefault();
            String base = BaseUrls.normalise(baseUrl, client);
            SystemeIoThrottle t = throttle != null ? throttle : SystemeIoThrottle.defaults();
            // validated above: without violations, the key is set
            Secret key = Objects.requireNonNull(apiKey, "apiKey");
            return new SystemeIoClient(new GuardedTransport(client, base, key), key, t, clock, rateLimitFallback);
        }
    }
}
