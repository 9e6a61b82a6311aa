package dev.postpurchase.core.order;

import org.jspecify.annotations.Nullable;

/**
 * A postal address; every part is optional.
 *
 * @param country ISO 3166-1 alpha-2 code when known
 */
public record Address(
        @Nullable String line1,
        @Nullable String line2,
        @Nullable String postalCode,
        @Nullable String city,
        @Nullable String region,
        @Nullable String country) {}
