package dev.postpurchase.systemeio;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.systemeio.internal.TagNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Settings of a "Grant Systeme.io Access" action: the tags to add to the customer's contact after purchase. Each
 * tag may start its own Systeme.io automation (for example a course enrolment), so tags are named exactly as in
 * Systeme.io and matched by name (an exact match first, else a case-insensitive one).
 *
 * <p>JSON: {@code {"name": "Course access", "tags": ["course-a", "vip"], "createMissingTags": false}}.
 *
 * @param name internal name, shown only in the dashboard
 * @param tags the tag names to add, 1 to 50, distinct ignoring case, each at most 64 characters (Systeme.io's limit)
 * @param createMissingTags create a tag that does not exist yet instead of failing; off by default, because a new
 *     tag has no automation attached and so grants nothing until the merchant attaches one
 */
public record SystemeIoGrantAccessConfig(String name, List<String> tags, boolean createMissingTags) {

    public SystemeIoGrantAccessConfig {
        tags = tags == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(tags));
    }

    /** A config that fails on missing tags. */
    public static SystemeIoGrantAccessConfig of(String name, List<String> tags) {
        return new SystemeIoGrantAccessConfig(name, tags, false);
    }

    /** The tag names without surrounding blanks, in configured order. */
    public List<String> tagNames() {
        return tags.stream().map(String::strip).toList();
    }

    /** Throws {@link ValidationException} naming every bad field ({@code name}, {@code tags[i]}). */
    public void validate() {
        List<Violation> v = new ArrayList<>();
        TagNames.checkName(v, name);
        TagNames.check(v, "tags", tags);
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }
}
