package dev.postpurchase.email;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A custom email's subject and content in one language. An entry with a blank subject and no blocks counts as "no
 * content" (the language falls back); an entry with only one of the two is refused by validation.
 *
 * @param subject the subject template, one line
 * @param blocks the content, top to bottom, at most 50 blocks
 */
public record LocalizedEmail(@Nullable String subject, List<EmailBlock> blocks) {
    public LocalizedEmail {
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
    }

    /** Whether this entry has something to send: a subject and at least one block. */
    public boolean hasContent() {
        return subject != null && !subject.isBlank() && !blocks.isEmpty();
    }
}
