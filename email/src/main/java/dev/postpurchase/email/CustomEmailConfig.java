package dev.postpurchase.email;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The custom email action's config: subject and block content per language of the checkout.
 *
 * @param content by BCP 47 language tag ({@code fi}, {@code sv}, {@code en-GB})
 * @param timeZone the IANA zone {@code {{order.date}}} is shown in; the executor's default when null
 */
public record CustomEmailConfig(Map<String, LocalizedEmail> content, @Nullable String timeZone) {
    public CustomEmailConfig {
        content = content == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(content));
    }
}
