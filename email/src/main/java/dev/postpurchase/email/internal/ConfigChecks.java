package dev.postpurchase.email.internal;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.order.Formats;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Validation helpers shared by the email configs; each adds violations naming the field. */
public final class ConfigChecks {
    private ConfigChecks() {}

    public static void timeZone(List<Violation> v, String field, @Nullable String zone) {
        if (zone == null) {
            return;
        }
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            v.add(new Violation(field, "is not a time zone such as Europe/Helsinki"));
        }
    }

    /** An optional single-line text of at most {@code max} characters. */
    public static void line(List<Violation> v, String field, @Nullable String value, int max) {
        if (value == null) {
            return;
        }
        if (HeaderChecks.hasUnsafeCharacters(value)) {
            v.add(new Violation(field, "must not contain CR, LF or other control characters"));
        } else if (value.length() > max) {
            v.add(new Violation(field, "must be at most " + max + " characters"));
        }
    }

    /** A language key of a per-language map: a BCP 47 tag, or {@code wildcard} when allowed (non-null). */
    public static void languageKey(List<Violation> v, String field, String key, @Nullable String wildcard) {
        if (!(wildcard != null && wildcard.equals(key)) && !Formats.isLanguageTag(key)) {
            v.add(new Violation(field, "is not a language tag such as fi or sv-FI"));
        }
    }

    /** A template that parses and uses only known placeholders. */
    public static @Nullable Template template(
            List<Violation> v, String field, @Nullable String source, Set<String> known, Set<String> prefixes) {
        if (source == null) {
            return null;
        }
        try {
            Template template = Template.parse(source, field);
            template.requireKnown(field, known, prefixes);
            return template;
        } catch (ValidationException e) {
            v.addAll(e.violations());
            return null;
        }
    }

    /** A subject template: a single line that parses and uses only known placeholders. */
    public static void subject(List<Violation> v, String field, @Nullable String source, Set<String> known) {
        if (source == null) {
            return;
        }
        if (source.isBlank()) {
            v.add(new Violation(field, "must not be blank"));
            return;
        }
        int before = v.size();
        line(v, field, source, HeaderChecks.MAX_SUBJECT);
        if (v.size() == before) {
            template(v, field, source, known, Set.of(OrderValues.CUSTOM_FIELD_PREFIX));
        }
    }

    /**
     * The settings every email sender's builder needs: a transport, a Message-ID domain, a zone and, for executors,
     * a retry policy. Throws {@link ValidationException} naming each bad one.
     *
     * @param retryPolicy the policy, checked only when {@code needsPolicy}
     */
    public static void senderSettings(
            @Nullable Object transport,
            @Nullable String messageIdDomain,
            String zoneField,
            @Nullable ZoneId zone,
            boolean needsPolicy,
            @Nullable Object retryPolicy) {
        List<Violation> v = new java.util.ArrayList<>();
        if (transport == null) {
            v.add(new Violation("transport", "is required"));
        }
        if (!HeaderChecks.isDomain(messageIdDomain)) {
            v.add(new Violation("messageIdDomain", "must be a DNS name such as shop.example.com"));
        }
        if (zone == null) {
            v.add(new Violation(zoneField, "is required"));
        }
        if (needsPolicy && retryPolicy == null) {
            v.add(new Violation("retryPolicy", "is required"));
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }
}
