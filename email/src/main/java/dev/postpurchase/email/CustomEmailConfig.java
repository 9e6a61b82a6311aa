package dev.postpurchase.email;

import dev.postpurchase.email.internal.Languages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The custom email action's config: subject and block content per language of the checkout.
 *
 * <p>The seed asks the merchant to fill every language the checkout supports. The dashboard passes those languages
 * in {@code checkoutLanguages} when the definition is saved (for a product- or offer-level email, the languages of
 * every checkout that sells it); saving is then refused, naming each language without content ({@link
 * EmailCustomExecutor#validate}), and {@link #languagesWithoutContent()} lists them beforehand. An empty list (the
 * default, and what a config saved before the field existed reads as) means the languages are not known and nothing
 * is compared.
 *
 * @param content by BCP 47 language tag ({@code fi}, {@code sv}, {@code en-GB})
 * @param timeZone the IANA zone {@code {{order.date}}} is shown in; the executor's default when null
 * @param checkoutLanguages the languages the checkout supports (BCP 47), each of which must have content; empty when
 *     not known
 */
public record CustomEmailConfig(
        Map<String, LocalizedEmail> content, @Nullable String timeZone, List<String> checkoutLanguages) {
    public CustomEmailConfig {
        content = content == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(content));
        checkoutLanguages = checkoutLanguages == null
                ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(checkoutLanguages));
    }

    /** A config whose checkout languages are not known: no language is required. */
    public CustomEmailConfig(Map<String, LocalizedEmail> content, @Nullable String timeZone) {
        this(content, timeZone, List.of());
    }

    /**
     * The checkout languages without a subject and blocks here, in the order given. A language finds content under
     * its exact tag or its primary language ({@code fi-FI} is served by {@code fi}), as orders do.
     */
    public List<String> languagesWithoutContent() {
        Map<String, LocalizedEmail> withContent = new TreeMap<>();
        content.forEach((key, email) -> {
            if (email != null && email.hasContent()) {
                withContent.put(key, email);
            }
        });
        List<String> missing = new ArrayList<>();
        for (String language : checkoutLanguages) {
            if (language != null && Languages.find(withContent, language) == null && !missing.contains(language)) {
                missing.add(language);
            }
        }
        return missing;
    }
}
