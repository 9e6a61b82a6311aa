package dev.postpurchase.core.spi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing, for an admin screen.
 *
 * @param items at most the page size, in the listing's order
 * @param nextCursor pass it to the next query's {@code after} to read the following page; null on the last page
 * @param <T> what is listed
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    /** Whether another page follows. */
    public boolean hasMore() {
        return nextCursor != null;
    }
}
