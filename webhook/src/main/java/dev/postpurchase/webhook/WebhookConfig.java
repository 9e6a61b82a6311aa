package dev.postpurchase.webhook;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.http.BlockedAddressException;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.http.InvalidUrlException;
import dev.postpurchase.http.SafeUrls;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one webhook action (its internal name lives on the definition). Serialises to JSON as the run's
 * config snapshot, secrets included, so configs must never be logged; {@link #toString()} redacts the URL and hides
 * both secrets.
 *
 * <p>Rotation: {@link #rotate()} moves the current secret to {@code previousSecret} and generates a new one; while
 * both are set every delivery carries two signatures, so receivers can switch secrets without losing messages. Call
 * {@link #withoutPreviousSecret()} once they have.
 *
 * @param url the endpoint; https unless the executor's client allows http, no CR/LF, no blocked address literal
 * @param secret the current signing secret, {@code whsec_} + base64
 * @param previousSecret the secret being rotated out, or null
 */
public record WebhookConfig(String url, Secret secret, @Nullable Secret previousSecret) {

    /** A config for {@code url} with a freshly generated secret. */
    public static WebhookConfig create(String url) {
        return of(url, WebhookSecret.generate());
    }

    /** A config for {@code url} signed with {@code secret}. */
    public static WebhookConfig of(String url, WebhookSecret secret) {
        return new WebhookConfig(url, Secret.of(secret.encoded()), null);
    }

    /** A copy with a new generated secret, the current one kept as {@code previousSecret}. */
    public WebhookConfig rotate() {
        return rotate(WebhookSecret.generate());
    }

    /** A copy signed with {@code next}, the current secret kept as {@code previousSecret}. */
    public WebhookConfig rotate(WebhookSecret next) {
        return new WebhookConfig(url, Secret.of(next.encoded()), secret);
    }

    /** A copy without the previous secret: rotation finished. */
    public WebhookConfig withoutPreviousSecret() {
        return new WebhookConfig(url, secret, null);
    }

    /**
     * The secrets to sign with, current first.
     *
     * @throws ValidationException naming {@code secret} or {@code previousSecret} if one cannot be read
     */
    public List<WebhookSecret> signingSecrets() {
        List<WebhookSecret> secrets = new ArrayList<>(2);
        secrets.add(WebhookSecret.parse(Objects.requireNonNull(secret, "secret").reveal(), "secret"));
        if (previousSecret != null) {
            secrets.add(WebhookSecret.parse(previousSecret.reveal(), "previousSecret"));
        }
        return secrets;
    }

    /**
     * Checks every field against {@code client}'s URL policy; the host name is resolved through the client's
     * filtering resolver, so a name that resolves only to blocked addresses ({@code https://localhost}) is refused.
     *
     * @throws ValidationException naming every bad field: {@code url}, {@code secret}, {@code previousSecret}
     */
    public void validate(GuardedHttpClient client) {
        List<Violation> v = new ArrayList<>();
        if (url == null || url.isBlank()) {
            v.add(new Violation("url", "is required"));
        } else {
            try {
                client.validateUrlAndHost(url);
            } catch (InvalidUrlException e) {
                v.add(new Violation("url", stripField(e.getMessage())));
            } catch (BlockedAddressException e) {
                v.add(new Violation(
                        "url",
                        "points to a blocked address (internal, private or reserved); for local development only,"
                                + " exempt it with GuardedHttpClient.Builder.allowForDevelopment(...)"));
            }
        }
        if (secret == null || secret.isBlank()) {
            v.add(new Violation("secret", "is required"));
        } else {
            readSecret(v, "secret", secret);
        }
        if (previousSecret != null) {
            readSecret(v, "previousSecret", previousSecret);
            if (secret != null && previousSecret.equals(secret)) {
                v.add(new Violation("previousSecret", "must differ from secret"));
            }
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    @Override
    public String toString() {
        return "WebhookConfig[url=" + SafeUrls.redact(url) + ", secret=***, previousSecret="
                + (previousSecret == null ? "none" : "***") + "]";
    }

    private static void readSecret(List<Violation> v, String field, Secret value) {
        try {
            WebhookSecret.parse(value.reveal(), field);
        } catch (ValidationException e) {
            v.addAll(e.violations());
        }
    }

    private static String stripField(@Nullable String message) {
        if (message == null) {
            return "is not acceptable";
        }
        return message.startsWith("url: ") ? message.substring(5) : message;
    }
}
