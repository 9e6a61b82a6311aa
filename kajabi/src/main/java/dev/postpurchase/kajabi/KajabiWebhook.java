package dev.postpurchase.kajabi;

import org.jspecify.annotations.Nullable;

/**
 * One parsed Kajabi outbound webhook payload; {@link KajabiWebhooks#parse} returns one of the four kinds. Immutable.
 * Every field Kajabi documents is present in the typed records; fields Kajabi did not send are null (or {@link
 * KajabiAmount#ABSENT}, or empty collections), unknown fields are ignored. A record always carries something beyond
 * its id and event: a body that does not is refused.
 */
public sealed interface KajabiWebhook
        permits KajabiPurchaseCreated, KajabiPaymentSucceeded, KajabiCartPurchase, KajabiFormSubmission {

    /** Which of Kajabi's webhooks this payload came from. */
    KajabiWebhookKind kind();

    /** The payload's top-level {@code id} (purchase, event, order or submission id), if sent. */
    @Nullable
    String id();
}
