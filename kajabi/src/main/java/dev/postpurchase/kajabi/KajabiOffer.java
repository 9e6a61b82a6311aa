package dev.postpurchase.kajabi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code offer} group of a Purchase Created or Payment Succeeded payload.
 *
 * <p>Since Kajabi's multiple-order-bump change, a Payment Succeeded payload covering a primary offer and its
 * one-time bumps carries <em>comma-separated</em> ids, titles, internal titles and types ({@code "11111,22222"}).
 * Every multi-valued field is therefore a list, read from a JSON array, a comma-separated string or a single value;
 * {@code ids.get(i)} belongs with {@code titles.get(i)} when both lists have the same size. A title that itself
 * contains a comma cannot be told apart from two titles: consumers must check the sizes (the order converter does).
 *
 * <p>The amount fields are the offer-level amounts that Purchase Created payloads carry since the change: the price
 * of this one offer, as opposed to the transaction amounts, which cover the whole transaction.
 *
 * @param ids the offer ids; usually one
 * @param types the offer types (one-time, subscription, payment plan, free), Payment Succeeded only
 * @param quantity the offer-level quantity, if sent
 * @param unitCost the offer's unit price
 * @param subtotal {@code unitCost * quantity}
 * @param totalAmount the offer's total: use it, not the transaction's {@code amount_paid}, to count revenue
 */
public record KajabiOffer(
        List<String> ids,
        List<String> titles,
        List<String> internalTitles,
        List<String> types,
        @Nullable Integer quantity,
        KajabiAmount unitCost,
        KajabiAmount subtotal,
        KajabiAmount totalAmount) {

    public KajabiOffer {
        ids = ids == null ? List.of() : List.copyOf(ids);
        titles = titles == null ? List.of() : List.copyOf(titles);
        internalTitles = internalTitles == null ? List.of() : List.copyOf(internalTitles);
        types = types == null ? List.of() : List.copyOf(types);
        unitCost = unitCost == null ? KajabiAmount.ABSENT : unitCost;
        subtotal = subtotal == null ? KajabiAmount.ABSENT : subtotal;
        totalAmount = totalAmount == null ? KajabiAmount.ABSENT : totalAmount;
    }

    /** The first (primary) offer id, or null when none was sent. */
    public @Nullable String id() {
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** Whether this group names more than one offer (a bundled transaction). */
    public boolean isMultiple() {
        return ids.size() > 1;
    }

    /** Whether the offer-level amounts (unit cost, subtotal or total) were sent. */
    public boolean hasOfferAmounts() {
        return unitCost.isKnown() || subtotal.isKnown() || totalAmount.isKnown();
    }
}
