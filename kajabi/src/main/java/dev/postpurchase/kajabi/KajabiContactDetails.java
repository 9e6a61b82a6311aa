package dev.postpurchase.kajabi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The "extra contact information" collected at checkout, when the offer asks for it. Every field may be missing.
 *
 * @param addressCountry two-letter country code
 * @param addressCountryName the country's full name
 * @param phoneNumber sent by Cart Purchase payloads
 * @param businessNumber business or tax number, sent by Cart Purchase payloads
 * @param customFields the {@code custom_<fieldname>} fields, keyed by their full name (for example {@code custom_1}),
 *     in order of appearance
 */
public record KajabiContactDetails(
        @Nullable String addressLine1,
        @Nullable String addressLine2,
        @Nullable String addressCity,
        @Nullable String addressCountry,
        @Nullable String addressCountryName,
        @Nullable String addressState,
        @Nullable String addressZip,
        @Nullable String phoneNumber,
        @Nullable String businessNumber,
        Map<String, String> customFields) {

    public KajabiContactDetails {
        customFields = customFields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(customFields));
    }

    /** Whether any address part was sent. */
    public boolean hasAddress() {
        return addressLine1 != null
                || addressLine2 != null
                || addressCity != null
                || addressCountry != null
                || addressState != null
                || addressZip != null;
    }
}
