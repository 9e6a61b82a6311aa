package dev.postpurchase.core.event;

import org.jspecify.annotations.Nullable;

/**
 * A transaction an event is about: approved, declined or refunded.
 *
 * @param amount minor units of {@code currency}; for a refund, the amount refunded
 * @param declineReason the processor's reason, for declined transactions
 */
public record TransactionInfo(
        String id, long amount, String currency, @Nullable String processor, @Nullable String declineReason) {}
