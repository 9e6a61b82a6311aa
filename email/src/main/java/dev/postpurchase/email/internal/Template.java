package dev.postpurchase.email.internal;

import dev.postpurchase.core.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A template with {@code {{name}}} placeholders and nothing else: no loops, conditions, partials or raw output, so
 * a template cannot execute anything or turn escaping off. Names are dotted ({@code customer.firstName}). Every
 * <code>{{</code> must open a well-formed placeholder. Values come as {@link TemplateValue}s whose HTML form is already
 * escaped; rendering in text mode uses their text form.
 *
 * <p>A placeholder that renders empty and is followed directly by punctuation ({@code , . ! ? ; :}) or ends the
 * template closes up: the spaces before it go, and a comma before those spaces too. So a customer without a first
 * name is greeted {@code Hi,} by {@code Hi {{customer.firstName}},} and {@code Welcome!} by {@code Welcome,
 * {{customer.firstName}}!}, never {@code Hi ,}. Immutable and thread-safe.
 */
public final class Template {
    private static final Pattern NAME = Pattern.compile("^\\s*([A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_-]+)*)\\s*$");
    private static final int MAX_LENGTH = 200_000;

    private sealed interface Part permits Literal, Slot {}

    private record Literal(String text) implements Part {}

    private record Slot(String name) implements Part {}

    private final List<Part> parts;

    private Template(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses a template.
     *
     * @param field the config field named in the exception
     * @throws ValidationException on {@code field} when a <code>{{</code> does not open a well-formed placeholder or
     *     the template is longer than 200,000 characters
     */
    public static Template parse(String source, String field) {
        if (source.length() > MAX_LENGTH) {
            throw new ValidationException(field, "is longer than " + MAX_LENGTH + " characters");
        }
        List<Part> parts = new ArrayList<>();
        int pos = 0;
        while (pos < source.length()) {
            int open = source.indexOf("{{", pos);
            if (open < 0) {
                parts.add(new Literal(source.substring(pos)));
                break;
            }
            if (open > pos) {
                parts.add(new Literal(source.substring(pos, open)));
            }
            int close = source.indexOf("}}", open + 2);
            Matcher name = close < 0 ? null : NAME.matcher(source.substring(open + 2, close));
            if (name == null || !name.matches()) {
                throw new ValidationException(
                        field,
                        "has a malformed placeholder at character " + (open + 1)
                                + "; placeholders look like {{customer.firstName}}");
            }
            parts.add(new Slot(name.group(1)));
            pos = close + 2;
        }
        return new Template(parts);
    }

    /** The placeholder names used, in order of first appearance. */
    public Set<String> placeholders() {
        Set<String> names = new LinkedHashSet<>();
        for (Part part : parts) {
            if (part instanceof Slot s) {
                names.add(s.name());
            }
        }
        return names;
    }

    /**
     * Throws {@link ValidationException} on {@code field} naming every placeholder that is neither in {@code
     * known} nor starts with one of {@code prefixes}.
     */
    public void requireKnown(String field, Set<String> known, Set<String> prefixes) {
        List<String> unknown = new ArrayList<>();
        for (String name : placeholders()) {
            if (!known.contains(name) && prefixes.stream().noneMatch(name::startsWith)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ValidationException(
                    field, "uses unknown placeholder(s) " + unknown + "; known: " + new java.util.TreeSet<>(known));
        }
    }

    /** Renders as HTML: literal text as written (the caller sanitised it), values in their escaped HTML form. */
    public String renderHtml(Function<String, @Nullable TemplateValue> values) {
        return render(values, true);
    }

    /** Renders as plain text: literal text as written, values in their text form. */
    public String renderText(Function<String, @Nullable TemplateValue> values) {
        return render(values, false);
    }

    private String render(Function<String, @Nullable TemplateValue> values, boolean html) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            if (part instanceof Literal l) {
                out.append(l.text());
                continue;
            }
            TemplateValue value = values.apply(((Slot) part).name());
            String rendered = value == null ? "" : html ? value.html() : value.text();
            if (rendered.isEmpty() && closesUp(i)) {
                dropSeparatorBefore(out);
            }
            out.append(rendered);
        }
        return out.toString();
    }

    /** Whether an empty value at {@code slot} ends the template or is followed by punctuation. */
    private boolean closesUp(int slot) {
        if (slot + 1 == parts.size()) {
            return true;
        }
        return parts.get(slot + 1) instanceof Literal next
                && !next.text().isEmpty()
                && ",.!?;:".indexOf(next.text().charAt(0)) >= 0;
    }

    /** Removes trailing spaces and, when there were some, a comma before them. */
    private static void dropSeparatorBefore(StringBuilder out) {
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        if (end == out.length()) {
            return;
        }
        if (end > 0 && out.charAt(end - 1) == ',') {
            end--;
        }
        out.setLength(end);
    }
}
