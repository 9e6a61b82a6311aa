package dev.postpurchase.kajabi.internal;

import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Totals;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One order line being worked out from a Kajabi payload. Known amounts come from the payload; unknown ones are
 * filled by {@link #complete} from the transaction's totals.
 */
public final class LineDraft {
    final String productId;
    final @Nullable String offerId;
    final String title;
    int quantity;

    @Nullable
    Long unitPrice;

    @Nullable
    Long subtotal;

    @Nullable
    Long discount;

    @Nullable
    Long tax;

    final long weight;

    /**
     * @param total the line total when the payload states it; with a known subtotal it fixes the discount (total
     *     below subtotal) or the tax (total above), unless those are stated too
     * @param weight this line's share when transaction amounts are split over lines with unknown amounts
     */
    public LineDraft(
            String productId,
            @Nullable String offerId,
            String title,
            int quantity,
            @Nullable Long unitPrice,
            @Nullable Long subtotal,
            @Nullable Long discount,
            @Nullable Long tax,
            @Nullable Long total,
            long weight) {
        this.productId = productId;
        this.offerId = offerId;
        this.title = title;
        this.quantity = Math.max(1, quantity);
        this.unitPrice = unitPrice;
        Long sub = subtotal;
        if (sub == null && unitPrice != null) {
            sub = unitPrice * this.quantity;
        }
        if (sub == null && total != null && discount == null && tax == null) {
            sub = total;
        }
        this.subtotal = sub == null ? null : Math.max(0, sub);
        this.discount = discount == null ? null : Math.max(0, discount);
        this.tax = tax == null ? null : Math.max(0, tax);
        if (total != null && this.subtotal != null) {
            long d = this.discount == null ? 0 : this.discount;
            long t = this.tax == null ? 0 : this.tax;
            long gap = total - (this.subtotal - d + t);
            if (this.discount == null && this.tax == null) {
                this.discount = gap < 0 ? -gap : 0;
                this.tax = gap > 0 ? gap : 0;
            } else if (this.discount == null) {
                this.discount = Math.max(0, -gap);
            } else if (this.tax == null) {
                this.tax = Math.max(0, gap);
            }
        }
        this.weight = weight;
    }

    /** Whether the payload stated this line's subtotal (directly, by unit price, or by total). */
    public boolean hasSubtotal() {
        return subtotal != null;
    }

    /** Lines that carry no amounts and the totals the transaction states for them together. */
    public record Unpriced(List<LineItem> items, Totals totals) {}

    /**
     * The lines without amounts ({@link LineItem.Builder#amountsUnknown()}) and the transaction's own totals, for a
     * transaction that does not say what each line cost. The totals are the transaction's amounts made consistent
     * with what was paid: the subtotal, when not sent, is {@code paid + discount - tax}; a shortfall of {@code
     * subtotal - discount + tax} against {@code paid} becomes extra discount, an excess extra tax (as {@link
     * #complete} does). Nothing is negative.
     */
    public static Unpriced unknownAmounts(
            List<LineDraft> lines,
            @Nullable Long txSubtotal,
            @Nullable Long txDiscount,
            @Nullable Long txTax,
            @Nullable Long txPaid) {
        long discount = txDiscount == null ? 0 : Math.max(0, txDiscount);
        long tax = txTax == null ? 0 : Math.max(0, txTax);
        long subtotal;
        if (txSubtotal != null) {
            subtotal = Math.max(0, txSubtotal);
        } else {
            subtotal = txPaid == null ? 0 : Math.max(0, txPaid + discount - tax);
        }
        discount = Math.min(discount, subtotal + tax);
        long computed = subtotal - discount + tax;
        long paid = txPaid == null ? computed : Math.max(0, txPaid);
        if (paid < computed) {
            discount += computed - paid;
        } else {
            tax += paid - computed;
        }
        List<LineItem> items = lines.stream()
                .map(line -> LineItem.builder()
                        .productId(line.productId)
                        .offerId(line.offerId)
                        .title(line.title)
                        .quantity(line.quantity)
                        .amountsUnknown()
                        .build())
                .toList();
        return new Unpriced(items, new Totals(subtotal, discount, tax, paid));
    }

    /**
     * Fills the unknown amounts and builds the items.
     *
     * <ol>
     *   <li>Lines without a subtotal share what the transaction subtotal leaves after the known lines, by weight.
     *       The transaction subtotal, when not sent, is {@code paid + discount - tax}.
     *   <li>Lines without a discount (tax) share what the transaction discount (tax) leaves, by subtotal.
     *   <li>With {@code reconcile}, the lines are adjusted so their totals add up to {@code paid} exactly: a shortfall
     *       becomes extra discount spread by line total (a transaction-level coupon), an excess extra tax spread by
     *       subtotal (tax the lines did not state).
     * </ol>
     *
     * Amounts never go negative. A line keeps its quantity when its subtotal divides by it, else it becomes one
     * unit at the whole subtotal, so that {@code unitPrice * quantity} is exact.
     */
    public static List<LineItem> complete(
            List<LineDraft> lines,
            @Nullable Long txSubtotal,
            @Nullable Long txDiscount,
            @Nullable Long txTax,
            @Nullable Long txPaid,
            boolean reconcile) {
        long discountTotal = txDiscount == null ? 0 : Math.max(0, txDiscount);
        long taxTotal = txTax == null ? 0 : Math.max(0, txTax);
        Long subtotalTotal = txSubtotal;
        if (subtotalTotal == null && txPaid != null) {
            subtotalTotal = txPaid + discountTotal - taxTotal;
        }
        fillSubtotals(lines, subtotalTotal == null ? 0 : subtotalTotal);
        fillShare(lines, discountTotal, true);
        fillShare(lines, taxTotal, false);
        for (LineDraft line : lines) {
            line.discount = Math.min(line.filledDiscount(), line.filledSubtotal() + line.filledTax());
        }
        if (reconcile && txPaid != null) {
            long gap = Math.max(0, txPaid) - sum(lines);
            long[] weights = new long[lines.size()];
            for (int i = 0; i < lines.size(); i++) {
                weights[i] = gap < 0 ? lines.get(i).total() : lines.get(i).filledSubtotal();
            }
            long[] parts = Allocation.split(Math.abs(gap), weights);
            for (int i = 0; i < lines.size(); i++) {
                LineDraft line = lines.get(i);
                if (gap < 0) {
                    line.discount = line.filledDiscount() + Math.min(parts[i], line.total());
                } else {
                    line.tax = line.filledTax() + parts[i];
                }
            }
        }
        return lines.stream().map(LineDraft::toItem).toList();
    }

    private static void fillSubtotals(List<LineDraft> lines, long transactionSubtotal) {
        long known = 0;
        int unknown = 0;
        for (LineDraft line : lines) {
            if (line.subtotal != null) {
                known += line.subtotal;
            } else {
                unknown++;
            }
        }
        long[] weights = new long[unknown];
        int k = 0;
        for (LineDraft line : lines) {
            if (line.subtotal == null) {
                weights[k++] = line.weight;
            }
        }
        long[] parts = Allocation.split(Math.max(0, transactionSubtotal - known), weights);
        k = 0;
        for (LineDraft line : lines) {
            if (line.subtotal == null) {
                line.subtotal = parts[k++];
            }
        }
    }

    private static void fillShare(List<LineDraft> lines, long transactionAmount, boolean discount) {
        long known = 0;
        int unknown = 0;
        for (LineDraft line : lines) {
            Long value = discount ? line.discount : line.tax;
            if (value != null) {
                known += value;
            } else {
                unknown++;
            }
        }
        long[] weights = new long[unknown];
        int k = 0;
        for (LineDraft line : lines) {
            if ((discount ? line.discount : line.tax) == null) {
                weights[k++] = line.filledSubtotal();
            }
        }
        long[] parts = Allocation.split(Math.max(0, transactionAmount - known), weights);
        k = 0;
        for (LineDraft line : lines) {
            if (discount && line.discount == null) {
                line.discount = parts[k++];
            } else if (!discount && line.tax == null) {
                line.tax = parts[k++];
            }
        }
    }

    private long total() {
        return filledSubtotal() - filledDiscount() + filledTax();
    }

    // complete() fills the unknown amounts (fillSubtotals, then fillShare) before any of these is read

    private long filledSubtotal() {
        return Objects.requireNonNull(subtotal, "subtotal not filled");
    }

    private long filledDiscount() {
        return Objects.requireNonNull(discount, "discount not filled");
    }

    private long filledTax() {
        return Objects.requireNonNull(tax, "tax not filled");
    }

    private static long sum(List<LineDraft> lines) {
        long total = 0;
        for (LineDraft line : lines) {
            total += line.total();
        }
        return total;
    }

    private LineItem toItem() {
        long sub = filledSubtotal();
        int qty = quantity;
        long unit;
        if (unitPrice != null && unitPrice * qty == sub) {
            unit = unitPrice;
        } else if (sub % qty == 0) {
            unit = sub / qty;
        } else {
            qty = 1;
            unit = sub;
        }
        return LineItem.builder()
                .productId(productId)
                .offerId(offerId)
                .title(title)
                .quantity(qty)
                .unitPrice(unit)
                .discount(filledDiscount())
                .tax(filledTax())
                .build();
    }
}
