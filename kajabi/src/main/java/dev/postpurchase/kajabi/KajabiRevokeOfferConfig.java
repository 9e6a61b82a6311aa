package dev.postpurchase.kajabi;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.kajabi.internal.OfferUrls;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a "Revoke Kajabi Offer" action ({@link KajabiRevokeOfferExecutor}), run by a subscription to the
 * refund event. Build it from the grant's definition with {@link #forGrant} so that both use the same offer, the
 * same external user id policy and the same name rule.
 *
 * <p>{@code grantLevel} and {@code grantTargetId} say which orders the grant applied to (the grant definition's level
 * and target): a refund of an order that does not match is skipped, so refunding one order never takes away an
 * offer bought in another. Without them every refunded order is revoked. The deactivation URL is a secret like the
 * activation URL; {@link #toString()} redacts it.
 *
 * @param name internal name, shown only in the dashboard
 * @param deactivationUrl the offer's Deactivation webhook URL, without query
 * @param hideLastName as in the grant: the name sent carries only the first letter of the last name
 * @param externalUserId as in the grant; {@link KajabiExternalUserId#NORMALISED_EMAIL} when null
 * @param grantLevel the level the grant hangs on, or null for every order
 * @param grantTargetId the product, offer or checkout id the grant hangs on; set exactly when {@code grantLevel} is
 * @param revokeOnPartialRefund whether a refund of less than the order's total revokes too; false by default
 */
public record KajabiRevokeOfferConfig(
        String name,
        Secret deactivationUrl,
        boolean hideLastName,
        KajabiExternalUserId externalUserId,
        @Nullable ActionLevel grantLevel,
        @Nullable String grantTargetId,
        boolean revokeOnPartialRefund) {

    public KajabiRevokeOfferConfig {
        externalUserId = externalUserId == null ? KajabiExternalUserId.NORMALISED_EMAIL : externalUserId;
    }

    /**
     * The revoke of the offer granted by {@code grant} (a {@link KajabiGrantOfferExecutor#TYPE} definition): its
     * activation URL with {@code /deactivate} in place of {@code /activate}, its name rule and external user id
     * policy, limited to orders the grant applied to, full refunds only.
     *
     * @throws ValidationException when the definition is not a Kajabi grant or its activation URL does not end in
     *     {@code /activate}; the executor validates the derived URL fully
     */
    public static KajabiRevokeOfferConfig forGrant(ActionDefinition grant) {
        if (!KajabiGrantOfferExecutor.TYPE.equals(grant.type())) {
            throw new ValidationException("grant", "must be a " + KajabiGrantOfferExecutor.TYPE + " definition");
        }
        KajabiGrantOfferConfig config = grant.config(KajabiGrantOfferConfig.class);
        String url =
                config.activationUrl() == null ? null : config.activationUrl().reveal();
        String deactivationUrl = url == null ? null : OfferUrls.replaceAction(url, "activate", "deactivate");
        if (deactivationUrl == null) {
            throw new ValidationException(
                    "config.activationUrl", "must be an offer activation URL ending in /activate");
        }
        Secret deactivation = Secret.of(deactivationUrl);
        return new KajabiRevokeOfferConfig(
                "Revoke " + config.name(),
                deactivation,
                config.hideLastName(),
                config.externalUserId(),
                grant.level(),
                grant.targetId(),
                false);
    }

    /** A copy that also revokes on partial refunds (or not). */
    public KajabiRevokeOfferConfig withRevokeOnPartialRefund(boolean value) {
        return new KajabiRevokeOfferConfig(
                name, deactivationUrl, hideLastName, externalUserId, grantLevel, grantTargetId, value);
    }

    /** The redacted deactivation URL, safe to log and show. */
    public String redactedDeactivationUrl() {
        return OfferUrls.redact(deactivationUrl);
    }

    @Override
    public String toString() {
        return "KajabiRevokeOfferConfig[name=" + name + ", deactivationUrl=" + redactedDeactivationUrl()
                + ", hideLastName=" + hideLastName + ", externalUserId=" + externalUserId + ", grantLevel="
                + grantLevel + ", grantTargetId=" + grantTargetId + ", revokeOnPartialRefund=" + revokeOnPartialRefund
                + "]";
    }
}
