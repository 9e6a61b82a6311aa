package dev.postpurchase.admin;

import dev.postpurchase.admin.internal.AdminHandler;
import dev.postpurchase.admin.internal.Exchange;
import dev.postpurchase.admin.internal.Response;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.core.spi.IntegrationSettingsStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The staff page of one pipeline: its JSON API and its single-page UI, ready to be served by an {@link AdminServlet}
 * (mounted in the application's own servlet container) or an {@link AdminServer} (standalone, on its own port). Both
 * hand every request to the same handling, so the page behaves the same in either.
 *
 * <pre>{@code
 * AdminPage page = AdminPage.builder()
 *         .pipeline(pipeline)
 *         .definitions(definitionStore)          // optional: the definitions and subscriptions screens
 *         .authorizer(request -> ...)            // required: who is staff, and which role
 *         .build();
 * servletContext.addServlet("postpurchase-admin", new AdminServlet(page)).addMapping("/admin/*");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class AdminPage {
    private static final Pattern SOURCE = Pattern.compile("'none'|'self'|https://[A-Za-z0-9.*:-]+(/[^\\s;,]*)?");

    private final AdminHandler handler;

    private AdminPage(Builder b) {
        AdminHandler.Settings settings = new AdminHandler.Settings(
                Objects.requireNonNull(b.pipeline),
                b.definitions,
                b.integrations,
                Objects.requireNonNull(b.authorizer),
                Map.copyOf(b.testers),
                String.join(" ", b.frameAncestors),
                b.csrfKey != null ? b.csrfKey.clone() : randomKey(),
                b.secureCookies);
        this.handler = new AdminHandler(settings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Handles one request; for {@link AdminServlet} and {@link AdminServer}. */
    Response handle(Exchange exchange) {
        return handler.handle(exchange);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Override
    public String toString() {
        return "AdminPage[" + handler + "]";
    }

    /** Mutable, not thread-safe builder of {@link AdminPage}. */
    public static final class Builder {
        private @Nullable ActionPipeline pipeline;
        private @Nullable DefinitionStore definitions;
        private @Nullable IntegrationSettingsStore integrations;
        private @Nullable AdminAuthorizer authorizer;
        private final Map<String, DefinitionTester> testers = new LinkedHashMap<>();
        private List<String> frameAncestors = List.of("'none'");
        private byte @Nullable [] csrfKey;
        private @Nullable Boolean secureCookies;

        private Builder() {}

        /** Required: the pipeline whose runs the page shows and re-runs. */
        public Builder pipeline(ActionPipeline value) {
            this.pipeline = value;
            return this;
        }

        /**
         * The persisted configuration the definitions and subscriptions screens edit (for example {@code
         * JdbcDefinitionSource}); without it those screens are absent. Use the same store the pipeline reads.
         */
        public Builder definitions(@Nullable DefinitionStore value) {
            this.definitions = value;
            return this;
        }

        /**
         * The integrations' switches and API keys (for example {@code JdbcIntegrationSettings}); without it the
         * integrations screen is absent. Keys are write-only there: set or replaced, never shown.
         */
        public Builder integrations(@Nullable IntegrationSettingsStore value) {
            this.integrations = value;
            return this;
        }

        /** Required: who may use the page, and with which role. There is no default. */
        public Builder authorizer(AdminAuthorizer value) {
            this.authorizer = value;
            return this;
        }

        /** Adds the "Test webhook" button to definitions of {@code type}. */
        public Builder tester(String type, DefinitionTester value) {
            testers.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(value, "tester"));
            return this;
        }

        /**
         * The pages that may frame the admin page ({@code frame-ancestors} of the Content-Security-Policy): {@code
         * 'self'} or {@code https://} origins of the shop's admin; default {@code 'none'} (never framed).
         */
        public Builder frameAncestors(String... values) {
            this.frameAncestors = List.of(values);
            return this;
        }

        /**
         * The key (at least 32 bytes) that signs CSRF tokens; default a random key per page. Set the same key on every
         * node when a load balancer spreads one staff member's requests over several.
         */
        public Builder csrfKey(byte[] value) {
            this.csrfKey = value.clone();
            return this;
        }

        /**
         * Whether the CSRF cookie is marked {@code Secure}; default: when the request came over TLS as the container
         * sees it. Set true behind a proxy that terminates TLS.
         */
        public Builder secureCookies(boolean value) {
            this.secureCookies = value;
            return this;
        }

        /**
         * Validates and builds the page.
         *
         * @throws ValidationException naming every bad setting (a missing authorizer among them)
         */
        public AdminPage build() {
            List<Violation> v = new ArrayList<>();
            if (pipeline == null) {
                v.add(new Violation("pipeline", "is required"));
            }
            if (authorizer == null) {
                v.add(new Violation(
                        "authorizer",
                        "is required: supply an AdminAuthorizer that recognises your staff; the page has no default"
                                + " that lets anyone in"));
            }
            if (frameAncestors.isEmpty()
                    || frameAncestors.stream()
                            .anyMatch(a -> a == null || !SOURCE.matcher(a).matches())
                    || (frameAncestors.size() > 1 && frameAncestors.contains("'none'"))) {
                v.add(new Violation(
                        "frameAncestors", "must be 'none', or 'self' and/or https:// origins, without ';' or spaces"));
            }
            if (csrfKey != null && csrfKey.length < 32) {
                v.add(new Violation("csrfKey", "must have at least 32 bytes"));
            }
            if (definitions == null && !testers.isEmpty()) {
                v.add(new Violation("testers", "need the definitions store to find the definition to test"));
            }
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
            return new AdminPage(this);
        }
    }
}
