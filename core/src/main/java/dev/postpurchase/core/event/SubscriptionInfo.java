package dev.postpurchase.core.event;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A customer's subscription that an event is about (for example a cancelled one). */
public record SubscriptionInfo(
        String id, @Nullable String planId, @Nullable String status, @Nullable Instant canceledAt) {}
