package dev.postpurchase.email;

import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The receipt action's config. The receipt itself is generated from the order alone, so every field is optional:
 * {@code new ReceiptEmailConfig(null, null, Map.of())} sends the built-in receipt in the order's language.
 *
 * @param shopName the seller shown on the receipt, if any
 * @param timeZone the IANA zone the payment date is shown in (for example {@code Europe/Helsinki}); the executor's
 *     default when null
 * @param templates overrides by language tag ({@code fi}, {@code sv-FI}); the key {@code *} applies to every
 *     language without its own. The order's exact language is tried first, then its primary language, then
 *     {@code *}.
 */
public record ReceiptEmailConfig(
        @Nullable String shopName, @Nullable String timeZone, Map<String, ReceiptTemplate> templates) {

    /** The key of the template used for languages without their own. */
    public static final String ANY_LANGUAGE = "*";

    public ReceiptEmailConfig {
        templates = templates == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(templates));
    }

    /** The built-in receipt with no seller name. */
    public static ReceiptEmailConfig defaults() {
        return new ReceiptEmailConfig(null, null, Map.of());
    }
}
