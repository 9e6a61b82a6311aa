package dev.postpurchase.core.order;

import org.jspecify.annotations.Nullable;

/** The affiliate credited with the order. */
public record Affiliate(String id, @Nullable String name) {}
