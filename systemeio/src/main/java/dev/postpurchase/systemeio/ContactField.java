package dev.postpurchase.systemeio;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One value of a contact field, addressed by its slug. Systeme.io keeps first name, surname and phone number as
 * fields (slugs {@link #FIRST_NAME}, {@link #SURNAME}, {@link #PHONE_NUMBER}), not as top-level properties.
 *
 * @param slug the field's slug, for example {@code first_name}
 * @param value the value; null clears it in an update
 */
public record ContactField(String slug, @Nullable String value) {
    /** Slug of the built-in first-name field. */
    public static final String FIRST_NAME = "first_name";

    /** Slug of the built-in last-name field. */
    public static final String SURNAME = "surname";

    /** Slug of the built-in phone-number field. */
    public static final String PHONE_NUMBER = "phone_number";

    public ContactField {
        Objects.requireNonNull(slug, "slug");
    }
}
