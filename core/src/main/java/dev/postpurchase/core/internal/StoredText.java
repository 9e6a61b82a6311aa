package dev.postpurchase.core.internal;

import org.jspecify.annotations.Nullable;

/**
 * Free text that a run records (a failure's reason, a result, a skip reason, an attempt's excerpt) as every store can
 * keep it: NUL characters become U+FFFD. PostgreSQL's text and JSON columns cannot hold NUL, and an error message can
 * echo hostile input or a peer's answer; without this, one such message would make the whole write fail. Every store
 * gets the same value, so what is read back never depends on the store.
 */
public final class StoredText {
    private StoredText() {}

    /** {@code text} with each NUL replaced by U+FFFD; the same instance when it has none; null stays null. */
    public static @Nullable String withoutNul(@Nullable String text) {
        if (text == null || text.indexOf('\u0000') < 0) {
            return text;
        }
        return text.replace('\u0000', '\uFFFD');
    }
}
