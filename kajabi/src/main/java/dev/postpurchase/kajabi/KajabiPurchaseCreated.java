package dev.postpurchase.kajabi;

import org.jspecify.annotations.Nullable;

/**
 * A Purchase Created payload: one offer purchased. A primary offer bought with two one-time order bumps gives
 * <em>three</em> of these, sharing one {@link KajabiPurchaseTransaction#id() transaction id} and each carrying the
 * whole transaction's amounts; {@link KajabiOffer#totalAmount()} is this offer's share. Turn them into one order
 * with {@link KajabiOrderConverter#fromPurchases} or {@link KajabiPurchaseCollector}.
 *
 * @param id the top-level id of this purchase event
 * @param event the top-level {@code event} name when sent, for example {@code purchase.created}
 * @param offer the offer purchased
 * @param member the buyer
 * @param contact extra contact information collected at checkout
 * @param affiliate the credited affiliate, {@link KajabiAffiliate#isPresent()} false when none
 * @param optIn whether the buyer opted in to the email list at checkout
 * @param trial whether the buyer entered a trial at checkout
 * @param transaction the transaction, whose amounts cover every offer of it
 */
public record KajabiPurchaseCreated(
        @Nullable String id,
        @Nullable String event,
        KajabiOffer offer,
        KajabiMember member,
        KajabiContactDetails contact,
        KajabiAffiliate affiliate,
        @Nullable Boolean optIn,
        @Nullable Boolean trial,
        KajabiPurchaseTransaction transaction)
        implements KajabiWebhook {

    @Override
    public KajabiWebhookKind kind() {
        return KajabiWebhookKind.PURCHASE_CREATED;
    }

    /** The transaction id shared by the purchases of one checkout, else this purchase's own id; null if neither. */
    public @Nullable String transactionId() {
        return transaction.id() != null ? transaction.id() : id;
    }
}
