package dev.postpurchase.kajabi;

import org.jspecify.annotations.Nullable;

/**
 * One {@code order_items} entry of a Cart Purchase payload. Amounts are per line, in the cart's currency.
 *
 * @param type the item type, for example {@code Offer}
 * @param id the item id, for example the offer id
 * @param title the title at the time of purchase
 * @param internalTitle the internal title, if set
 * @param unitCost the unit price
 * @param subtotal {@code unitCost * quantity}, before discounts and taxes
 * @param discountAmount the discount on this line
 * @param salesTax the sales tax on this line
 * @param totalAmount the line total after discounts and taxes
 */
public record KajabiCartItem(
        @Nullable String type,
        @Nullable String id,
        @Nullable String title,
        @Nullable String internalTitle,
        @Nullable Integer quantity,
        KajabiAmount unitCost,
        KajabiAmount subtotal,
        KajabiAmount discountAmount,
        KajabiAmount salesTax,
        KajabiAmount totalAmount) {

    public KajabiCartItem {
        unitCost = unitCost == null ? KajabiAmount.ABSENT : unitCost;
        subtotal = subtotal == null ? KajabiAmount.ABSENT : subtotal;
        discountAmount = discountAmount == null ? KajabiAmount.ABSENT : discountAmount;
        salesTax = salesTax == null ? KajabiAmount.ABSENT : salesTax;
        totalAmount = totalAmount == null ? KajabiAmount.ABSENT : totalAmount;
    }
}
