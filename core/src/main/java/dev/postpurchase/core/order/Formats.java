package dev.postpurchase.core.order;

import java.util.Currency;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Syntax checks shared by the model and the integrations: email, currency, language, control characters. */
public final class Formats {
    // RFC 5321/5322 "dot-atom" local part and a domain of at least two labels; no quoted local parts, no IP
    // literals: shops and mail providers reject those in practice.
    private static final Pattern EMAIL =
            Pattern.compile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$");
    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
    /**
     * Answers for the language tags seen so far: a shop uses a handful, and parsing one builds a {@link Locale},
     * which costs more than the rest of an order's checks. Bounded, so odd input cannot grow it.
     */
    private static final Map<String, Boolean> LANGUAGE_TAGS = new ConcurrentHashMap<>();

    private static final int LANGUAGE_TAGS_KEPT = 256;

    private Formats() {}

    /** A syntactically valid address of at most 254 characters with a local part of at most 64. */
    public static boolean isEmail(@Nullable String value) {
        if (value == null || value.length() > 254) {
            return false;
        }
        int at = value.indexOf('@');
        return at > 0 && at <= 64 && EMAIL.matcher(value).matches();
    }

    /** An ISO 4217 code known to the JDK, in upper case. */
    public static boolean isCurrency(@Nullable String value) {
        if (value == null || !CURRENCY.matcher(value).matches()) {
            return false;
        }
        try {
            Currency.getInstance(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A well-formed BCP 47 tag with a language subtag (not {@code und}). */
    public static boolean isLanguageTag(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        Boolean known = LANGUAGE_TAGS.get(value);
        if (known != null) {
            return known;
        }
        boolean valid;
        try {
            Locale locale = new Locale.Builder().setLanguageTag(value).build();
            valid = !locale.getLanguage().isEmpty();
        } catch (IllformedLocaleException e) {
            valid = false;
        }
        if (LANGUAGE_TAGS.size() < LANGUAGE_TAGS_KEPT) {
            LANGUAGE_TAGS.put(value, valid);
        }
        return valid;
    }

    /** True when the value has CR, LF or any other ISO control character. */
    public static boolean hasControlCharacters(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
