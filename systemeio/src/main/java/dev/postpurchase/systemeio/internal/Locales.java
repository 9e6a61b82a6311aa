package dev.postpurchase.systemeio.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The contact locales of Systeme.io's public API: the {@code locale} enum of {@code POST /api/contacts} in the
 * official OpenAPI document (version 1.0.0). Four of them are not the ISO 639-1 code of their language.
 */
public final class Locales {
    /** The enum, in the document's order. */
    public static final List<String> SUPPORTED = List.of(
            "en", "fr", "es", "it", "pt", "de", "nl", "ru", "jp", "tr", "ar", "zh", "sv", "ro", "cs", "hu", "sk", "dk",
            "id", "pl", "el", "sr", "hi", "no", "th", "sq", "sl", "ua");

    private static final Set<String> SUPPORTED_SET = Set.copyOf(SUPPORTED);

    /** ISO 639 codes whose Systeme.io value differs (Norwegian Bokmål and Nynorsk are both Norwegian there). */
    private static final Map<String, String> NON_ISO =
            Map.of("ja", "jp", "da", "dk", "nb", "no", "nn", "no", "uk", "ua", "in", "id");

    private Locales() {}

    /** Whether the API accepts {@code locale} as it is. */
    public static boolean isSupported(@Nullable String locale) {
        return locale != null && SUPPORTED_SET.contains(locale);
    }

    /**
     * The API's value for the primary language of a BCP 47 tag, or null when the API has none (Finnish, Estonian,
     * Hebrew, ...) or the tag has no two-letter language.
     */
    public static @Nullable String of(@Nullable String languageTag) {
        if (languageTag == null) {
            return null;
        }
        String primary = languageTag.strip().split("[-_]", 2)[0].toLowerCase(Locale.ROOT);
        if (!primary.matches("[a-z]{2}")) {
            return null;
        }
        String locale = NON_ISO.getOrDefault(primary, primary);
        return isSupported(locale) ? locale : null;
    }
}
