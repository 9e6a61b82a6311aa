package dev.postpurchase.email.internal;

import dev.postpurchase.core.order.Formats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Finds per-language content: the exact tag first, then its primary language ({@code fi-FI} finds {@code fi}). */
public final class Languages {
    private Languages() {}

    /** The key of {@code map} that matches {@code tag} exactly (ignoring case) or by primary language, or null. */
    public static <V> @Nullable String find(Map<String, V> map, @Nullable String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        for (String candidate : candidates(tag)) {
            for (String key : map.keySet()) {
                if (key.equalsIgnoreCase(candidate)) {
                    return key;
                }
            }
        }
        return null;
    }

    private static List<String> candidates(String tag) {
        List<String> out = new ArrayList<>();
        out.add(tag);
        if (Formats.isLanguageTag(tag)) {
            String primary = Locale.forLanguageTag(tag).getLanguage();
            if (!primary.equalsIgnoreCase(tag)) {
                out.add(primary);
            }
        }
        return out;
    }

    /** The locale for formatting money and dates in {@code tag}. */
    public static Locale locale(String tag) {
        return Locale.forLanguageTag(tag);
    }
}
