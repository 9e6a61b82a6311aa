package dev.postpurchase.systemeio.internal;

import dev.postpurchase.systemeio.SystemeIoTag;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Matches a configured tag name against Systeme.io tags: an exact match (after trimming) wins; otherwise the first
 * tag whose name equals it ignoring case.
 */
public final class TagMatcher {
    private TagMatcher() {}

    public static Optional<SystemeIoTag> exact(List<SystemeIoTag> tags, String name) {
        String wanted = name.strip();
        return tags.stream().filter(t -> t.name().strip().equals(wanted)).findFirst();
    }

    public static Optional<SystemeIoTag> match(List<SystemeIoTag> tags, String name) {
        Optional<SystemeIoTag> exact = exact(tags, name);
        if (exact.isPresent()) {
            return exact;
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return tags.stream()
                .filter(t -> t.name().strip().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }
}
