package dev.postpurchase.systemeio.internal;

import dev.postpurchase.core.Violation;
import dev.postpurchase.core.order.Formats;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Validation and normalisation of configured tag names, shared by the grant and revoke configs. */
public final class TagNames {
    /** The most tags one action may apply. */
    public static final int MAX_TAGS = 50;

    /**
     * The longest tag name accepted, in characters (code points): Systeme.io's {@code POST /api/tags} takes a {@code
     * name} of at most 64 (official OpenAPI document), so no tag can have a longer one.
     */
    public static final int MAX_LENGTH = 64;

    private TagNames() {}

    /** The case-insensitive key two tag names collide on. */
    public static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    /** Adds a violation per problem: missing list, too many, blank, too long, control characters, duplicates. */
    public static void check(List<Violation> v, String field, @Nullable List<@Nullable String> tags) {
        if (tags == null || tags.isEmpty()) {
            v.add(new Violation(field, "must name at least one Systeme.io tag"));
            return;
        }
        if (tags.size() > MAX_TAGS) {
            v.add(new Violation(field, "must name at most " + MAX_TAGS + " tags"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            String path = field + "[" + i + "]";
            if (tag == null || tag.isBlank()) {
                v.add(new Violation(path, "must not be blank"));
            } else if (length(tag.strip()) > MAX_LENGTH) {
                v.add(new Violation(path, "must be at most " + MAX_LENGTH + " characters"));
            } else if (Formats.hasControlCharacters(tag)) {
                v.add(new Violation(path, "must not contain control characters"));
            } else if (!seen.add(key(tag))) {
                v.add(new Violation(path, "repeats the tag '" + tag.strip() + "'"));
            }
        }
    }

    /** The length of a name in characters (code points), as the API counts it. */
    public static int length(String name) {
        return name.codePointCount(0, name.length());
    }

    /** Checks the internal name of an action: required, at most 200 characters, no control characters. */
    public static void checkName(List<Violation> v, @Nullable String name) {
        if (name == null || name.isBlank()) {
            v.add(new Violation("name", "is required"));
        } else if (name.length() > 200) {
            v.add(new Violation("name", "must be at most 200 characters"));
        } else if (Formats.hasControlCharacters(name)) {
            v.add(new Violation("name", "must not contain control characters"));
        }
    }
}
