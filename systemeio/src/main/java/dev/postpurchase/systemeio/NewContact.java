package dev.postpurchase.systemeio;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.order.Formats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The data of a contact to create ({@code POST /api/contacts}): an email and, optionally, first name, surname and
 * phone (sent as {@code fields} with the slugs of {@link ContactField}) and a locale. Validated when built:
 * a valid email, optional values of at most {@value #MAX_FIELD_LENGTH} characters without control characters, and
 * a locale of two lower-case letters.
 *
 * @param email the contact's email address
 * @param firstName sent as the {@code first_name} field when not null
 * @param surname sent as the {@code surname} field when not null
 * @param phone sent as the {@code phone_number} field when not null
 * @param locale sent as {@code locale} when not null, for example {@code en} or {@code fr}
 */
public record NewContact(
        String email,
        @Nullable String firstName,
        @Nullable String surname,
        @Nullable String phone,
        @Nullable String locale) {

    /** The longest value Systeme.io accepts in a contact field. */
    public static final int MAX_FIELD_LENGTH = 255;

    public NewContact {
        List<Violation> v = new ArrayList<>();
        if (email == null || !Formats.isEmail(email)) {
            v.add(new Violation("email", "must be a valid email address"));
        }
        checkField(v, "firstName", firstName);
        checkField(v, "surname", surname);
        checkField(v, "phone", phone);
        if (locale != null && !locale.matches("[a-z]{2}")) {
            v.add(new Violation("locale", "must be two lower-case letters, for example en"));
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    /** The contact's fields in the order they are sent, leaving out those that are null. */
    public List<ContactField> fields() {
        List<ContactField> fields = new ArrayList<>(3);
        if (firstName != null) {
            fields.add(new ContactField(ContactField.FIRST_NAME, firstName));
        }
        if (surname != null) {
            fields.add(new ContactField(ContactField.SURNAME, surname));
        }
        if (phone != null) {
            fields.add(new ContactField(ContactField.PHONE_NUMBER, phone));
        }
        return fields;
    }

    /** The same contact with only its email, for a second try when the API refused an optional value. */
    public NewContact emailOnly() {
        return new NewContact(email, null, null, null, null);
    }

    /**
     * The Systeme.io locale for a BCP 47 language tag: its primary language subtag in lower case ({@code en-US} →
     * {@code en}), or null when the tag does not start with a two-letter language.
     */
    public static @Nullable String localeOf(@Nullable String languageTag) {
        if (languageTag == null) {
            return null;
        }
        String primary = languageTag.split("[-_]", 2)[0].toLowerCase(Locale.ROOT);
        return primary.matches("[a-z]{2}") ? primary : null;
    }

    /** Starts a contact with this email. */
    public static Builder builder(String email) {
        return new Builder(email);
    }

    static void checkField(List<Violation> v, String field, @Nullable String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_FIELD_LENGTH) {
            v.add(new Violation(field, "must be at most " + MAX_FIELD_LENGTH + " characters"));
        } else if (Formats.hasControlCharacters(value)) {
            v.add(new Violation(field, "must not contain control characters"));
        }
    }

    /** Mutable, not thread-safe builder of {@link NewContact}; blank values count as absent. */
    public static final class Builder {
        private final String email;
        private @Nullable String firstName;
        private @Nullable String surname;
        private @Nullable String phone;
        private @Nullable String locale;

        private Builder(String email) {
            this.email = email;
        }

        public Builder firstName(@Nullable String value) {
            this.firstName = blankToNull(value);
            return this;
        }

        public Builder surname(@Nullable String value) {
            this.surname = blankToNull(value);
            return this;
        }

        public Builder phone(@Nullable String value) {
            this.phone = blankToNull(value);
            return this;
        }

        public Builder locale(@Nullable String value) {
            this.locale = blankToNull(value);
            return this;
        }

        /** Validates and builds; throws {@link ValidationException} naming every bad field. */
        public NewContact build() {
            return new NewContact(email, firstName, surname, phone, locale);
        }

        private static @Nullable String blankToNull(@Nullable String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }
    }
}
