package dev.postpurchase.webhook.fulfillment;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.order.Formats;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.http.SafeUrls;
import dev.postpurchase.webhook.CanonicalQuery;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookSecret;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one fulfillment webhook action, as the merchant saves them in the webhook editor. Serialises to
 * JSON as the run's config snapshot, secrets included, so configs must never be logged; {@link #toString()} redacts
 * the URL and hides the secrets.
 *
 * <p>The instructions are kept as the merchant wrote them: they are untrusted HTML, and the
 * {@link dev.postpurchase.core.spi.FulfillmentDelivery delivery} sanitises them where it shows them (the email module
 * reduces them to its rich-text allow-list, the same policy as a custom email's rich text). This module only limits
 * their length.
 *
 * @param url the merchant's fulfillment endpoint; https unless the executor's client allows http. For GET its own
 *     query parameters are kept and signed with the fields
 * @param method GET or POST
 * @param secret the Standard Webhooks signing secret, {@code whsec_} + base64
 * @param previousSecret the secret being rotated out (both sign while set), or null
 * @param instructions text for the customer, HTML of which the delivery keeps a limited set of tags, sent with the
 *     responses; may be empty (null becomes empty)
 * @param separateMultibuy false: one request per order line with the line's quantity; true: one request per unit
 * @param productId fulfil only the order lines of this product, at any level; null: the lines of what the definition
 *     hangs on (its product's lines, the lines sold through its offer, or every line for a checkout-level action)
 * @param customFields extra fields of every request, in order
 */
public record FulfillmentWebhookConfig(
        String url,
        FulfillmentMethod method,
        Secret secret,
        @Nullable Secret previousSecret,
        String instructions,
        boolean separateMultibuy,
        @Nullable String productId,
        List<CustomField> customFields) {

    /** The longest instructions accepted, in characters. */
    public static final int MAX_INSTRUCTIONS_LENGTH = 20_000;

    /** The most custom fields accepted. */
    public static final int MAX_CUSTOM_FIELDS = 20;

    /** The longest static custom value accepted, in characters. */
    public static final int MAX_STATIC_VALUE_LENGTH = 2000;

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    /** Copies the custom fields; null instructions or custom fields become empty. */
    public FulfillmentWebhookConfig {
        instructions = instructions == null ? "" : instructions;
        customFields = customFields == null ? List.of() : List.copyOf(customFields);
    }

    /** A builder for {@code url}; a secret is generated unless one is set. */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** A copy signed with a newly generated secret, the current one kept as {@code previousSecret}. */
    public FulfillmentWebhookConfig rotate() {
        return rotate(WebhookSecret.generate());
    }

    /** A copy signed with {@code next}, the current secret kept as {@code previousSecret}. */
    public FulfillmentWebhookConfig rotate(WebhookSecret next) {
        return new FulfillmentWebhookConfig(
                url,
                method,
                Secret.of(next.encoded()),
                secret,
                instructions,
                separateMultibuy,
                productId,
                customFields);
    }

    /** A copy without the previous secret: rotation finished. */
    public FulfillmentWebhookConfig withoutPreviousSecret() {
        return new FulfillmentWebhookConfig(
                url, method, secret, null, instructions, separateMultibuy, productId, customFields);
    }

    /**
     * The secrets to sign with, current first.
     *
     * @throws ValidationException naming {@code secret} or {@code previousSecret} if one cannot be read
     */
    public List<WebhookSecret> signingSecrets() {
        return new WebhookConfig(url, secret, previousSecret).signingSecrets();
    }

    /**
     * Checks every field against {@code client}'s URL policy, without network access.
     *
     * @throws ValidationException naming every bad field: {@code url}, {@code method}, {@code secret},
     *     {@code previousSecret}, {@code instructions}, {@code productId}, {@code customFields} and
     *     {@code customFields[i].name}, {@code customFields[i].kind}, {@code customFields[i].value}
     */
    public void validate(GuardedHttpClient client) {
        List<Violation> v = new ArrayList<>();
        try {
            new WebhookConfig(url, secret, previousSecret).validate(client);
        } catch (ValidationException e) {
            v.addAll(e.violations());
        }
        Set<String> queryNames = new HashSet<>();
        if (url != null && v.stream().noneMatch(x -> x.field().equals("url"))) {
            try {
                for (Map.Entry<String, String> p : CanonicalQuery.parse(rawQuery(url))) {
                    queryNames.add(p.getKey());
                }
            } catch (IllegalArgumentException e) {
                v.add(new Violation("url", "has a query string that is not well-formed percent-encoded UTF-8"));
            }
        }
        if (method == null) {
            v.add(new Violation("method", "is required: GET or POST"));
        }
        if (instructions.length() > MAX_INSTRUCTIONS_LENGTH) {
            v.add(new Violation("instructions", "must be at most " + MAX_INSTRUCTIONS_LENGTH + " characters"));
        }
        if (productId != null && (productId.isBlank() || Formats.hasControlCharacters(productId))) {
            v.add(new Violation("productId", "must be a product id without control characters, or absent"));
        }
        validateCustomFields(v, queryNames);
        if (method == FulfillmentMethod.GET) {
            for (String name : queryNames) {
                if (FulfillmentFields.STANDARD_NAMES.contains(name)) {
                    v.add(new Violation("url", "has a query parameter named like the standard field '" + name + "'"));
                }
            }
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    private void validateCustomFields(List<Violation> v, Set<String> queryNames) {
        if (customFields.size() > MAX_CUSTOM_FIELDS) {
            v.add(new Violation("customFields", "must hold at most " + MAX_CUSTOM_FIELDS + " fields"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < customFields.size(); i++) {
            CustomField field = customFields.get(i);
            String prefix = "customFields[" + i + "].";
            if (field == null) {
                v.add(new Violation("customFields[" + i + "]", "must not be null"));
                continue;
            }
            String name = field.name();
            if (name == null || !FIELD_NAME.matcher(name).matches()) {
                v.add(new Violation(
                        prefix + "name", "must be a letter followed by up to 63 letters, digits, '_', '-' or '.'"));
            } else if (FulfillmentFields.STANDARD_NAMES.contains(name)) {
                v.add(new Violation(prefix + "name", "'" + name + "' is a standard field name"));
            } else if (!seen.add(name)) {
                v.add(new Violation(prefix + "name", "'" + name + "' is used by another custom field"));
            } else if (method == FulfillmentMethod.GET && queryNames.contains(name)) {
                v.add(new Violation(prefix + "name", "'" + name + "' is already a query parameter of the url"));
            }
            if (field.kind() == null) {
                v.add(new Violation(prefix + "kind", "is required"));
            } else if (field.kind() == CustomFieldKind.STATIC) {
                String value = field.value();
                if (value == null) {
                    v.add(new Violation(prefix + "value", "is required for a static field"));
                } else if (value.length() > MAX_STATIC_VALUE_LENGTH) {
                    v.add(new Violation(
                            prefix + "value", "must be at most " + MAX_STATIC_VALUE_LENGTH + " characters"));
                } else if (value.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' && c != '\r')) {
                    v.add(new Violation(prefix + "value", "must not contain control characters"));
                }
            }
        }
    }

    /** The part of {@code url} after {@code ?} and before {@code #}, or null. */
    static @Nullable String rawQuery(String url) {
        int hash = url.indexOf('#');
        String noFragment = hash < 0 ? url : url.substring(0, hash);
        int q = noFragment.indexOf('?');
        return q < 0 ? null : noFragment.substring(q + 1);
    }

    /** {@code url} without its query and fragment. */
    static String withoutQuery(String url) {
        int cut = url.length();
        int hash = url.indexOf('#');
        if (hash >= 0) {
            cut = hash;
        }
        int q = url.indexOf('?');
        if (q >= 0 && q < cut) {
            cut = q;
        }
        return url.substring(0, cut);
    }

    @Override
    public String toString() {
        return "FulfillmentWebhookConfig[url=" + SafeUrls.redact(url) + ", method=" + method
                + ", secret=***, previousSecret=" + (previousSecret == null ? "none" : "***") + ", separateMultibuy="
                + separateMultibuy + ", productId=" + productId + ", customFields=" + customFields.size() + "]";
    }

    /** Mutable, not thread-safe builder; {@link #build()} does not validate (the executor does). */
    public static final class Builder {
        private final String url;
        private FulfillmentMethod method = FulfillmentMethod.POST;
        private @Nullable WebhookSecret secret;
        private String instructions = "";
        private boolean separateMultibuy;
        private @Nullable String productId;
        private final List<CustomField> customFields = new ArrayList<>();

        private Builder(String url) {
            this.url = Objects.requireNonNull(url, "url");
        }

        /** GET or POST; default POST. */
        public Builder method(FulfillmentMethod value) {
            this.method = Objects.requireNonNull(value, "method");
            return this;
        }

        /** The signing secret; default a newly generated one. */
        public Builder secret(WebhookSecret value) {
            this.secret = Objects.requireNonNull(value, "secret");
            return this;
        }

        /** The instructions for the customer (HTML, sanitised by the delivery); default none. */
        public Builder instructions(String value) {
            this.instructions = Objects.requireNonNull(value, "instructions");
            return this;
        }

        /** One request per unit instead of one per line; default false. */
        public Builder separateMultibuy(boolean value) {
            this.separateMultibuy = value;
            return this;
        }

        /** Fulfil only the lines of this product; default the lines of what the definition hangs on. */
        public Builder productId(@Nullable String value) {
            this.productId = value;
            return this;
        }

        /** Adds a custom field. */
        public Builder customField(CustomField field) {
            customFields.add(Objects.requireNonNull(field, "field"));
            return this;
        }

        /** The config. */
        public FulfillmentWebhookConfig build() {
            WebhookSecret s = secret == null ? WebhookSecret.generate() : secret;
            return new FulfillmentWebhookConfig(
                    url, method, Secret.of(s.encoded()), null, instructions, separateMultibuy, productId, customFields);
        }
    }
}
