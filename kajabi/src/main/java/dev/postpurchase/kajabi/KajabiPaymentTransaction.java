package dev.postpurchase.kajabi;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The {@code payment_transaction} group of a Payment Succeeded or Cart Purchase payload: one payment, covering
 * every one-time offer of the checkout. Fields that only one of the two payloads sends are null in the other.
 *
 * @param id the transaction id
 * @param paymentProcessor for example "Kajabi Payments" or "Stripe"
 * @param paymentMethod for example {@code visa} or {@code apple_pay}
 * @param paymentMethodCountry two-letter country of the payment method (Cart Purchase)
 * @param quantity the quantity of the item purchased (Payment Succeeded)
 * @param subtotal before discounts and taxes
 * @param salesTax the sales tax included
 * @param amountPaid after discounts and taxes: what the customer paid
 * @param feeAmount processing fees (Kajabi Payments only)
 * @param netAmount net of fees (Kajabi Payments only)
 * @param receiptNumber receipt or invoice id (Cart Purchase)
 * @param settlementCurrency currency of a cross-currency settlement (Cart Purchase, Kajabi Payments)
 * @param invoiceNumber for invoice-based orders (Cart Purchase)
 */
public record KajabiPaymentTransaction(
        @Nullable String id,
        @Nullable Instant createdAt,
        @Nullable String paymentProcessor,
        @Nullable String paymentMethod,
        @Nullable String paymentMethodCountry,
        @Nullable String currency,
        @Nullable String couponCode,
        @Nullable Integer quantity,
        KajabiAmount subtotal,
        KajabiAmount discountAmount,
        KajabiAmount salesTax,
        KajabiAmount amountPaid,
        KajabiAmount feeAmount,
        KajabiAmount netAmount,
        @Nullable String receiptNumber,
        @Nullable String settlementCurrency,
        KajabiAmount settlementAmount,
        KajabiAmount settlementNetAmount,
        @Nullable String invoiceNumber) {

    public KajabiPaymentTransaction {
        subtotal = subtotal == null ? KajabiAmount.ABSENT : subtotal;
        discountAmount = discountAmount == null ? KajabiAmount.ABSENT : discountAmount;
        salesTax = salesTax == null ? KajabiAmount.ABSENT : salesTax;
        amountPaid = amountPaid == null ? KajabiAmount.ABSENT : amountPaid;
        feeAmount = feeAmount == null ? KajabiAmount.ABSENT : feeAmount;
        netAmount = netAmount == null ? KajabiAmount.ABSENT : netAmount;
        settlementAmount = settlementAmount == null ? KajabiAmount.ABSENT : settlementAmount;
        settlementNetAmount = settlementNetAmount == null ? KajabiAmount.ABSENT : settlementNetAmount;
    }
}
