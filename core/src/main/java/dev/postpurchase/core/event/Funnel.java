package dev.postpurchase.core.event;

import org.jspecify.annotations.Nullable;

/** The funnel an event happened in; null on events from the admin or the shop. */
public record Funnel(String id, @Nullable String name, @Nullable String step) {}
