package dev.postpurchase.systemeio;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Systeme.io contact as the API returned it, with the tags it carries at that moment.
 *
 * @param id the contact's id, positive
 * @param email the contact's email address
 * @param locale the contact's locale (for example {@code en}), if the API returned one
 * @param fields the contact's field values, in the order the API returned them
 * @param tags the tags assigned to the contact
 */
public record SystemeIoContact(
        long id, String email, @Nullable String locale, List<ContactField> fields, List<SystemeIoTag> tags) {
    public SystemeIoContact {
        if (id <= 0) {
            throw new IllegalArgumentException("id must be positive, was " + id);
        }
        Objects.requireNonNull(email, "email");
        fields = List.copyOf(fields);
        tags = List.copyOf(tags);
    }

    /** Whether the tag with this id is assigned to the contact. */
    public boolean hasTag(long tagId) {
        return tags.stream().anyMatch(t -> t.id() == tagId);
    }

    /** The value of the field with this slug, if the contact has a non-null one. */
    public Optional<String> field(String slug) {
        return fields.stream()
                .filter(f -> f.slug().equals(slug))
                .map(ContactField::value)
                .filter(Objects::nonNull)
                .findFirst();
    }
}
