package dev.postpurchase.core.order;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A free or paid trial that the order starts. */
public record Trial(int days, @Nullable Instant endsAt) {}
