package dev.postpurchase.kajabi;

import dev.postpurchase.core.Secret;
import dev.postpurchase.kajabi.internal.OfferUrls;

/**
 * The settings of a "Grant Kajabi Offer" action ({@link KajabiGrantOfferExecutor}), stored as the definition's JSON
 * config.
 *
 * <p>The activation URL is the offer's only credential (Kajabi's offer webhooks take no key): it is a {@link Secret},
 * and {@link #toString()} shows only its redacted form ({@code https://checkout.kajabi.com/webhooks/offers/***}
 * {@code /***}{@code /activate}). Like every config holding a secret, the JSON form must never be logged.
 * {@link KajabiGrantOfferExecutor#validate} checks the values.
 *
 * @param name internal name, shown only in the dashboard
 * @param activationUrl the offer's Activation webhook URL (Kajabi: Offer → More → Webhooks), without query
 * @param sendOfferGrantEmail whether Kajabi sends its offer grant email (adds {@code send_offer_grant_email=true})
 * @param hideLastName whether only the first letter of the last name is sent, for privacy in Kajabi communities
 * @param externalUserId how the {@code external_user_id} is derived; {@link KajabiExternalUserId#NORMALISED_EMAIL}
 *     when null
 */
public record KajabiGrantOfferConfig(
        String name,
        Secret activationUrl,
        boolean sendOfferGrantEmail,
        boolean hideLastName,
        KajabiExternalUserId externalUserId) {

    public KajabiGrantOfferConfig {
        externalUserId = externalUserId == null ? KajabiExternalUserId.NORMALISED_EMAIL : externalUserId;
    }

    /** A config with the given name and activation URL, no grant email, full last name, normalised-email ids. */
    public static KajabiGrantOfferConfig of(String name, Secret activationUrl) {
        return new KajabiGrantOfferConfig(name, activationUrl, false, false, KajabiExternalUserId.NORMALISED_EMAIL);
    }

    /** A copy with the grant email switched on or off. */
    public KajabiGrantOfferConfig withSendOfferGrantEmail(boolean value) {
        return new KajabiGrantOfferConfig(name, activationUrl, value, hideLastName, externalUserId);
    }

    /** A copy with "hide last name" switched on or off. */
    public KajabiGrantOfferConfig withHideLastName(boolean value) {
        return new KajabiGrantOfferConfig(name, activationUrl, sendOfferGrantEmail, value, externalUserId);
    }

    /** A copy with another external user id policy. */
    public KajabiGrantOfferConfig withExternalUserId(KajabiExternalUserId value) {
        return new KajabiGrantOfferConfig(name, activationUrl, sendOfferGrantEmail, hideLastName, value);
    }

    /** The redacted activation URL, safe to log and show. */
    public String redactedActivationUrl() {
        return OfferUrls.redact(activationUrl);
    }

    @Override
    public String toString() {
        return "KajabiGrantOfferConfig[name=" + name + ", activationUrl=" + redactedActivationUrl()
                + ", sendOfferGrantEmail=" + sendOfferGrantEmail + ", hideLastName=" + hideLastName
                + ", externalUserId=" + externalUserId + "]";
    }
}
