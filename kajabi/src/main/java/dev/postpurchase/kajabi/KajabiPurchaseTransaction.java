package dev.postpurchase.kajabi;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The transaction fields of a Purchase Created payload.
 *
 * <p><b>Since the multiple-order-bump change the amounts here cover the whole transaction</b>: every Purchase
 * Created event of a primary offer plus bumps carries the same {@code transaction_id} and the same {@code
 * amount_paid}. Summing them over events counts revenue several times; use {@link KajabiOffer#totalAmount()}.
 *
 * @param id the transaction id ({@code transaction.id}, {@code transaction.transaction_id} or a flat {@code
 *     transaction_id}); shared by every Purchase Created event of one transaction
 * @param offerType one-time, subscription, payment plan or free
 * @param subtotal the transaction before discounts and taxes
 * @param amountPaid the transaction after discounts and taxes
 * @param currency three-letter ISO code as sent
 * @param quantity the quantity of the item purchased
 * @param recurring the subscription or payment plan fields, {@link KajabiRecurringPayment#isPresent()} false for
 *     one-time offers
 */
public record KajabiPurchaseTransaction(
        @Nullable String id,
        @Nullable Instant createdAt,
        @Nullable String offerType,
        KajabiAmount subtotal,
        KajabiAmount discountAmount,
        KajabiAmount amountPaid,
        @Nullable String currency,
        @Nullable String paymentMethod,
        @Nullable String paymentProcessor,
        @Nullable String couponCode,
        @Nullable Integer quantity,
        KajabiRecurringPayment recurring) {

    public KajabiPurchaseTransaction {
        subtotal = subtotal == null ? KajabiAmount.ABSENT : subtotal;
        discountAmount = discountAmount == null ? KajabiAmount.ABSENT : discountAmount;
        amountPaid = amountPaid == null ? KajabiAmount.ABSENT : amountPaid;
    }
}
