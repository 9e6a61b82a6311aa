package dev.postpurchase.systemeio;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A change to an existing contact, sent as a JSON Merge Patch ({@code PATCH /api/contacts/{id}}): only the locale
 * and the fields listed are touched; a field with a null value is cleared. Validated when built: at least one
 * change, values of at most {@value NewContact#MAX_FIELD_LENGTH} characters without control characters, slugs
 * of letters, digits and underscores, and a locale the API lists (see {@link NewContact#localeOf}).
 *
 * @param locale the new locale, or null to leave it unchanged
 * @param fields the fields to set, in the order they are sent
 */
public record ContactUpdate(@Nullable String locale, List<ContactField> fields) {
    public ContactUpdate {
        fields = List.copyOf(fields);
        List<Violation> v = new ArrayList<>();
        if (locale == null && fields.isEmpty()) {
            v.add(new Violation("fields", "an update must change the locale or at least one field"));
        }
        NewContact.checkLocale(v, locale);
        for (int i = 0; i < fields.size(); i++) {
            ContactField f = fields.get(i);
            if (!f.slug().matches("[A-Za-z0-9_]{1,100}")) {
                v.add(new Violation("fields[" + i + "].slug", "must be 1 to 100 letters, digits or underscores"));
            }
            NewContact.checkField(v, "fields[" + i + "].value", f.value());
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    /** Starts an empty update. */
    public static Builder builder() {
        return new Builder();
    }

    /** Mutable, not thread-safe builder of {@link ContactUpdate}. */
    public static final class Builder {
        private @Nullable String locale;
        private final List<ContactField> fields = new ArrayList<>();

        private Builder() {}

        public Builder locale(@Nullable String value) {
            this.locale = value;
            return this;
        }

        /** Sets a field by slug; null clears it. */
        public Builder field(String slug, @Nullable String value) {
            fields.add(new ContactField(slug, value));
            return this;
        }

        public Builder firstName(@Nullable String value) {
            return field(ContactField.FIRST_NAME, value);
        }

        public Builder surname(@Nullable String value) {
            return field(ContactField.SURNAME, value);
        }

        public Builder phone(@Nullable String value) {
            return field(ContactField.PHONE_NUMBER, value);
        }

        /** Validates and builds; throws {@link ValidationException} naming every bad field. */
        public ContactUpdate build() {
            return new ContactUpdate(locale, fields);
        }
    }
}
