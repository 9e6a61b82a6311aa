package dev.postpurchase.webhook.postback;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.http.SafeUrls;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookSecret;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A postback channel: the URL events are POSTed to and the Standard Webhooks secret they are signed with. Serialises
 * to JSON as the run's config snapshot, secrets included, so configs must never be logged; {@link #toString()}
 * redacts the URL and hides the secrets.
 *
 * @param url the channel's endpoint; https unless the executor's client allows http; SSRF-filtered
 * @param secret the signing secret, {@code whsec_} + base64
 * @param previousSecret the secret being rotated out (both sign while set), or null
 */
public record PostbackConfig(String url, Secret secret, @Nullable Secret previousSecret) {

    /** A channel for {@code url} with a freshly generated secret. */
    public static PostbackConfig create(String url) {
        return of(url, WebhookSecret.generate());
    }

    /** A channel for {@code url} signed with {@code secret}. */
    public static PostbackConfig of(String url, WebhookSecret secret) {
        return new PostbackConfig(url, Secret.of(secret.encoded()), null);
    }

    /** A copy signed with a new generated secret, the current one kept as {@code previousSecret}. */
    public PostbackConfig rotate() {
        return rotate(WebhookSecret.generate());
    }

    /** A copy signed with {@code next}, the current secret kept as {@code previousSecret}. */
    public PostbackConfig rotate(WebhookSecret next) {
        return new PostbackConfig(url, Secret.of(next.encoded()), secret);
    }

    /** A copy without the previous secret: rotation finished. */
    public PostbackConfig withoutPreviousSecret() {
        return new PostbackConfig(url, secret, null);
    }

    /**
     * The secrets to sign with, current first.
     *
     * @throws ValidationException naming {@code secret} or {@code previousSecret} if one cannot be read
     */
    public List<WebhookSecret> signingSecrets() {
        return asWebhookConfig().signingSecrets();
    }

    /**
     * Checks every field against {@code client}'s URL policy without network access.
     *
     * @throws ValidationException naming every bad field: {@code url}, {@code secret}, {@code previousSecret}
     */
    public void validate(GuardedHttpClient client) {
        asWebhookConfig().validate(client);
    }

    private WebhookConfig asWebhookConfig() {
        return new WebhookConfig(url, secret, previousSecret);
    }

    @Override
    public String toString() {
        return "PostbackConfig[url=" + SafeUrls.redact(url) + ", secret=***, previousSecret="
                + (previousSecret == null ? "none" : "***") + "]";
    }
}
