package dev.postpurchase.kajabi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code order} group of a Cart Purchase payload.
 *
 * @param id the cart order id
 * @param source the origin of the order, for example {@code cart}
 * @param orderNumber the order number shown to the buyer
 * @param items the order items, in the order sent
 */
public record KajabiCartOrder(
        @Nullable String id, @Nullable String source, @Nullable String orderNumber, List<KajabiCartItem> items) {

    public KajabiCartOrder {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
