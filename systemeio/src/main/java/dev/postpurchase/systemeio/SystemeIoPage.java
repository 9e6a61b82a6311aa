package dev.postpurchase.systemeio;

import java.util.List;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * One page of a Systeme.io collection ({@code {"items": [...], "hasMore": bool}}). The API pages by cursor: the next
 * page starts after the id of this page's last item.
 *
 * @param items the page's items in API order
 * @param hasMore whether the API has items after this page
 */
public record SystemeIoPage<T>(List<T> items, boolean hasMore) {
    public SystemeIoPage {
        items = List.copyOf(items);
    }

    /**
     * The cursor for the next page ({@code startingAfter}), or null when this is the last page.
     *
     * @param idOf reads an item's id
     */
    public @Nullable Long nextCursor(ToLongFunction<T> idOf) {
        if (!hasMore || items.isEmpty()) {
            return null;
        }
        return idOf.applyAsLong(items.get(items.size() - 1));
    }
}
