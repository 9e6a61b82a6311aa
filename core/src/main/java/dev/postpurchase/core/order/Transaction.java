package dev.postpurchase.core.order;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The payment that made the order paid.
 *
 * @param id the payment processor's or shop's transaction id
 * @param processor for example {@code stripe} or {@code paytrail}
 * @param method for example {@code card}
 * @param coupon the coupon code used, if any
 * @param paidAt when the payment was confirmed
 */
public record Transaction(
        String id, @Nullable String processor, @Nullable String method, @Nullable String coupon, Instant paidAt) {}
