package dev.postpurchase.systemeio;

import java.util.Objects;

/**
 * A Systeme.io tag. Assigning a tag to a contact is what starts the Systeme.io automations attached to it.
 *
 * @param id the tag's id, positive
 * @param name the tag's name as Systeme.io stores it
 */
public record SystemeIoTag(long id, String name) {
    public SystemeIoTag {
        if (id <= 0) {
            throw new IllegalArgumentException("id must be positive, was " + id);
        }
        Objects.requireNonNull(name, "name");
    }
}
