package dev.postpurchase.systemeio;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.order.Formats;
import dev.postpurchase.systemeio.internal.Locales;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The data of a contact to create ({@code POST /api/contacts}): an email and, optionally, first name, surname and
 * phone (sent as {@code fields} with the slugs of {@link ContactField}) and a locale. Validated when built:
 * a valid email, optional values of at most {@value #MAX_FIELD_LENGTH} characters without control characters, and
 * a locale the API lists (see {@link #localeOf}).
 *
 * @param email the contact's email address
 * @param firstName sent as the {@code first_name} field when not null
 * @param surname sent as the {@code surname} field when not null
 * @param phone sent as the {@code phone_number} field when not null
 * @param locale sent as {@code locale} when not null: one of the API's values, for example {@code en}, {@code fr}
 *     or {@code jp}
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
        checkLocale(v, locale);
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

    /** The same contact without a locale, for a second try when the API refused the locale; the fields stay. */
    public NewContact withoutLocale() {
        return new NewContact(email, firstName, surname, phone, null);
    }

    /**
     * The Systeme.io locale for a BCP 47 language tag, or null when the API has no value for its language.
     *
     * <p>The API takes a locale from a fixed list (the {@code locale} enum of its OpenAPI document): {@code en fr es
     * it pt de nl ru jp tr ar zh sv ro cs hu sk dk id pl el sr hi no th sq sl ua}. Four of these are not ISO codes:
     * Japanese is {@code jp}, Danish {@code dk}, Norwegian (also {@code nb} and {@code nn}) {@code no} and Ukrainian
     * {@code ua}. Languages without a value, such as Finnish, Estonian or Hebrew, give null: the contact is created
     * without a locale rather than refused. Only the primary language subtag counts ({@code pt-BR} → {@code pt}).
     */
    public static @Nullable String localeOf(@Nullable String languageTag) {
        return Locales.of(languageTag);
    }

    /** Starts a contact with this email. */
    public static Builder builder(String email) {
        return new Builder(email);
    }

    static void checkLocale(List<Violation> v, @Nullable String locale) {
        if (locale != null && !Locales.isSupported(locale)) {
            v.add(new Violation(
                    "locale", "must be one of Systeme.io's locales (" + String.join(" ", Locales.SUPPORTED) + ")"));
        }
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
