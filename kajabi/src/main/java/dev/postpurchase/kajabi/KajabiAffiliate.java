package dev.postpurchase.kajabi;

import org.jspecify.annotations.Nullable;

/**
 * The affiliate fields of a Kajabi payload, when an affiliate is credited.
 *
 * @param conversionId the affiliate conversion
 * @param userId the affiliate user
 */
public record KajabiAffiliate(
        @Nullable String conversionId, @Nullable String userId, @Nullable String userName, @Nullable String userEmail) {

    /** Whether any affiliate field was sent. */
    public boolean isPresent() {
        return conversionId != null || userId != null || userName != null || userEmail != null;
    }
}
