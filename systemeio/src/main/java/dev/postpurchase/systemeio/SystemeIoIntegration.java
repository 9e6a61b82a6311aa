package dev.postpurchase.systemeio;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.core.spi.RequiredIntegration;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.systemeio.internal.BaseUrls;
import dev.postpurchase.systemeio.internal.ContactLocks;
import dev.postpurchase.systemeio.internal.GuardedTransport;
import dev.postpurchase.systemeio.internal.TagDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Systeme.io integration as the backend configured it: where its switch and API key are read ({@link
 * IntegrationSettings}, id {@value #ID}), the HTTP client and base URL, one {@link SystemeIoThrottle} and one tag
 * cache shared by every client and executor it makes. Build one per backend and register its executors:
 *
 * <pre>{@code
 * SystemeIoIntegration systemeIo = SystemeIoIntegration.builder().settings(settings).http(http).build();
 * ActionPipeline.builder()
 *         .executor(systemeIo.grantAccessExecutor())
 *         .executor(systemeIo.revokeAccessExecutor())
 *         ...
 * }</pre>
 *
 * <p>The settings are read on every validation and every attempt, so switching the integration off or replacing
 * the key takes effect at once. Thread-safe. {@link #close()} closes the HTTP client only when this integration
 * created it.
 */
public final class SystemeIoIntegration implements AutoCloseable {
    /** The integration's id in {@link IntegrationSettings}. */
    public static final String ID = "systemeio";

    private final IntegrationSettings settings;
    private final RequiredIntegration required;
    private final GuardedHttpClient http;
    private final boolean ownsHttp;
    private final String baseUrl;
    private final SystemeIoThrottle throttle;
    private final Clock clock;
    private final Duration rateLimitFallback;
    private final TagDirectory tags;
    private final ContactLocks contactLocks = new ContactLocks();

    private SystemeIoIntegration(
            Builder b, IntegrationSettings settings, GuardedHttpClient http, boolean ownsHttp, String baseUrl) {
        this.settings = settings;
        this.required = new RequiredIntegration(ID, "Systeme.io", "Settings → Integrations", true, settings);
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.baseUrl = baseUrl;
        this.throttle = b.throttle != null ? b.throttle : SystemeIoThrottle.defaults();
        this.clock = b.clock;
        this.rateLimitFallback = b.rateLimitFallback;
        this.tags = new TagDirectory(b.tagCacheTtl, b.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A grant executor ({@code systemeio-grant-access}) of this integration. */
    public SystemeIoGrantAccessExecutor grantAccessExecutor() {
        return new SystemeIoGrantAccessExecutor(this);
    }

    /** A revoke executor ({@code systemeio-revoke-access}) of this integration. */
    public SystemeIoRevokeAccessExecutor revokeAccessExecutor() {
        return new SystemeIoRevokeAccessExecutor(this);
    }

    /** A client for {@code apiKey} sharing this integration's HTTP client, base URL and throttle. */
    public SystemeIoClient client(Secret apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new ValidationException("apiKey", "is required");
        }
        return new SystemeIoClient(
                new GuardedTransport(http, baseUrl, apiKey), apiKey, throttle, clock, rateLimitFallback);
    }

    /** The API key, when the integration is enabled and has a non-blank one; empty otherwise. */
    public Optional<Secret> enabledApiKey() {
        if (!settings.isEnabled(ID)) {
            return Optional.empty();
        }
        return settings.apiKey(ID).filter(k -> !k.isBlank());
    }

    /** Systeme.io with an API key, which the grant and revoke executors need; the pipeline checks it. */
    public RequiredIntegration required() {
        return required;
    }

    TagDirectory tags() {
        return tags;
    }

    ContactLocks contactLocks() {
        return contactLocks;
    }

    Clock clock() {
        return clock;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public SystemeIoThrottle throttle() {
        return throttle;
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }

    @Override
    public String toString() {
        return "SystemeIoIntegration[baseUrl=" + baseUrl + ", throttle=" + throttle + "]";
    }

    /** Mutable, not thread-safe builder of {@link SystemeIoIntegration}. */
    public static final class Builder {
        private @Nullable IntegrationSettings settings;
        private @Nullable GuardedHttpClient http;
        private String baseUrl = SystemeIoClient.DEFAULT_BASE_URL;
        private @Nullable SystemeIoThrottle throttle;
        private Duration tagCacheTtl = Duration.ofMinutes(10);
        private Duration rateLimitFallback = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Required: where the Systeme.io switch and API key are read. */
        public Builder settings(IntegrationSettings value) {
            this.settings = value;
            return this;
        }

        /**
         * The guarded HTTP client; default: one created (and closed by {@link #close()}) with every default, https
         * only and no allow-list. Tests pass one that allows loopback for development.
         */
        public Builder http(GuardedHttpClient value) {
            this.http = value;
            return this;
        }

        /** The API's base URL; default {@value SystemeIoClient#DEFAULT_BASE_URL}. */
        public Builder baseUrl(String value) {
            this.baseUrl = value;
            return this;
        }

        /** The per-API-key throttle; default {@link SystemeIoThrottle#defaults()} (one call per second). */
        public Builder throttle(SystemeIoThrottle value) {
            this.throttle = value;
            return this;
        }

        /** How long an account's tag list is reused before it is listed again; default 10 minutes. */
        public Builder tagCacheTtl(Duration value) {
            this.tagCacheTtl = value;
            return this;
        }

        /** The wait assumed after a 429 that names none; default 60 s. */
        public Builder rateLimitFallback(Duration value) {
            this.rateLimitFallback = value;
            return this;
        }

        /** The clock for the tag cache and date-valued rate-limit headers; default UTC system clock. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Validates and builds; throws {@link ValidationException} naming every bad setting. */
        public SystemeIoIntegration build() {
            List<Violation> v = new ArrayList<>();
            if (settings == null) {
                v.add(new Violation("settings", "is required"));
            }
            if (tagCacheTtl == null || tagCacheTtl.isNegative() || tagCacheTtl.compareTo(Duration.ofDays(1)) > 0) {
                v.add(new Violation("tagCacheTtl", "must be between 0 and a day"));
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
            // validated above: without violations, the settings are set
            IntegrationSettings given = Objects.requireNonNull(settings, "settings");
            GuardedHttpClient shared = http;
            boolean owns = shared == null;
            GuardedHttpClient client = shared != null ? shared : GuardedHttpClient.createDefault();
            String base;
            try {
                base = BaseUrls.normalise(baseUrl, client);
            } catch (ValidationException e) {
                if (owns) {
                    client.close();
                }
                throw e;
            }
            return new SystemeIoIntegration(this, given, client, owns, base);
        }
    }
}
