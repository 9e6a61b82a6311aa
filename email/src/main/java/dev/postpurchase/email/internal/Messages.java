package dev.postpurchase.email.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The SDK's own email texts in English, Finnish and Swedish. A language is found by its primary subtag ({@code
 * sv-FI} uses Swedish); any other language uses English, and a key missing in a translation falls back to the
 * English text. Never depends on the JVM's default locale. Values may contain placeholders and are rendered through
 * {@link Template}. Thread-safe.
 */
public final class Messages {
    /** The languages with a translation; the first is the fallback. */
    public static final List<String> LANGUAGES = List.of("en", "fi", "sv");

    private static final Map<String, Messages> CACHE = new ConcurrentHashMap<>();

    private final String language;
    private final Map<String, String> texts;
    private final Map<String, Template> templates = new ConcurrentHashMap<>();

    private Messages(String language, Map<String, String> texts) {
        this.language = language;
        this.texts = Map.copyOf(texts);
    }

    /** The texts for a BCP 47 tag, falling back to English. */
    public static Messages forLanguage(String languageTag) {
        String primary = Locale.forLanguageTag(languageTag).getLanguage().toLowerCase(Locale.ROOT);
        String language = LANGUAGES.contains(primary) ? primary : LANGUAGES.get(0);
        return CACHE.computeIfAbsent(language, Messages::load);
    }

    private static Messages load(String language) {
        Map<String, String> texts = new LinkedHashMap<>(read("en"));
        if (!language.equals("en")) {
            texts.putAll(read(language));
        }
        return new Messages(language, texts);
    }

    /** The raw texts of one bundle, without fallback; for completeness checks. */
    public static Map<String, String> bundle(String language) {
        return read(language);
    }

    private static Map<String, String> read(String language) {
        String resource = "messages_" + language + ".properties";
        try (InputStream in = Messages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Properties p = new Properties();
            p.load(in);
            Map<String, String> texts = new TreeMap<>();
            p.stringPropertyNames().forEach(k -> texts.put(k, p.getProperty(k)));
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The language actually used: {@code en}, {@code fi} or {@code sv}. */
    public String language() {
        return language;
    }

    /** The raw text of a key (placeholders not rendered). */
    public String raw(String key) {
        String text = texts.get(key);
        if (text == null) {
            throw new IllegalArgumentException("no text " + key);
        }
        return text;
    }

    /** The text of a key rendered with {@code values}. */
    public TemplateValue render(String key, Function<String, TemplateValue> values) {
        Template template = templates.computeIfAbsent(key, k -> Template.parse(raw(k), k));
        return TemplateValue.html(template.renderHtml(values), template.renderText(values));
    }

    /** Every key whose name starts with {@code prefix}. */
    public List<String> keys(String prefix) {
        return texts.keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .sorted()
                .toList();
    }
}
