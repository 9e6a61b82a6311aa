package dev.postpurchase.core.event;

import org.jspecify.annotations.Nullable;

/** A lead or customer that an event is about. */
public record Contact(String id, String email, @Nullable String firstName, @Nullable String lastName) {}
