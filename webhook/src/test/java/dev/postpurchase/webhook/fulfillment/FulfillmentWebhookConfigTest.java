package dev.postpurchase.webhook.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.webhook.WebhookSecret;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FulfillmentWebhookConfigTest {
    private final GuardedHttpClient httpsOnly = GuardedHttpClient.createDefault();
    private final WebhookFulfillmentExecutor executor = WebhookFulfillmentExecutor.builder()
            .httpClient(httpsOnly)
            .delivery(new RecordingFulfillmentDelivery())
            .build();
    private final WebhookSecret secret = WebhookSecret.generate();

    @AfterEach
    void close() {
        httpsOnly.close();
    }

    @Test
    void aValidConfigPassesAndSurvivesAJsonRoundTrip() {
        FulfillmentWebhookConfig config = FulfillmentWebhookConfig.builder("https://licences.example/issue?v=2")
                .secret(secret)
                .method(FulfillmentMethod.GET)
                .instructions("<p>Open <a href=\"https://example.com/activate\">the activation page</a>.</p>")
                .separateMultibuy(true)
                .productId("product-1")
                .customField(CustomField.checkoutHash("checkout_hash"))
                .customField(CustomField.staticValue("note", "multi\nline"))
                .build();
        executor.validate(config);

        FulfillmentWebhookConfig roundTrip =
                PostpurchaseJson.read(PostpurchaseJson.write(config), FulfillmentWebhookConfig.class, "config");
        assertThat(roundTrip).isEqualTo(config);
        assertThat(roundTrip.signingSecrets()).containsExactly(secret);
    }

    @Test
    void instructionsAreKeptAsTheMerchantWroteThemForTheDeliveryToSanitise() {
        // The email delivery sanitises them: FulfillmentEmailDeliveryTest in the email module.
        FulfillmentWebhookConfig config = FulfillmentWebhookConfig.builder("https://licences.example/issue")
                .instructions("<b onclick=\"steal()\">Key</b><script>alert(1)</script>")
                .build();
        assertThat(config.instructions()).isEqualTo("<b onclick=\"steal()\">Key</b><script>alert(1)</script>");

        String handWritten = PostpurchaseJson.write(config)
                .replace("<b onclick=\\\"steal()\\\">Key</b>", "<img src=x onerror=alert(1)><i>hi</i>");
        ActionDefinition definition = ActionDefinition.builder(WebhookFulfillmentExecutor.TYPE)
                .id("d")
                .product("p")
                .configJson(handWritten)
                .build();
        assertThat(definition.config(FulfillmentWebhookConfig.class).instructions())
                .isEqualTo("<img src=x onerror=alert(1)><i>hi</i><script>alert(1)</script>");
        assertThat(new FulfillmentWebhookConfig(
                                "https://licences.example/issue",
                                FulfillmentMethod.POST,
                                Secret.of(secret.encoded()),
                                null,
                                null,
                                false,
                                null,
                                null)
                        .instructions())
                .isEmpty();
    }

    @Test
    void namesEveryBadField() {
        FulfillmentWebhookConfig bad = new FulfillmentWebhookConfig(
                "http://licences.example/issue",
                null,
                Secret.of("whsec_short"),
                null,
                "x".repeat(FulfillmentWebhookConfig.MAX_INSTRUCTIONS_LENGTH + 1),
                false,
                " ",
                List.of(
                        new CustomField("order_id", CustomFieldKind.CHECKOUT_HASH, null),
                        new CustomField("1abc", CustomFieldKind.TRANSACTION_ID, null),
                        new CustomField("note", CustomFieldKind.STATIC, null),
                        new CustomField("note", null, null),
                        new CustomField("big", CustomFieldKind.STATIC, "v".repeat(2001)),
                        new CustomField("ctl", CustomFieldKind.STATIC, "a\u0000b")));

        assertThatThrownBy(() -> executor.validate(bad))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                        .containsExactlyInAnyOrder(
                                "url",
                                "secret",
                                "method",
                                "instructions",
                                "productId",
                                "customFields[0].name",
                                "customFields[1].name",
                                "customFields[2].value",
                                "customFields[3].name",
                                "customFields[3].kind",
                                "customFields[4].value",
                                "customFields[5].value"));
    }

    @Test
    void aGetUrlMayNotCarryParametersNamedLikeFields() {
        FulfillmentWebhookConfig clash = FulfillmentWebhookConfig.builder("https://licences.example/i?order_id=1&k=2")
                .method(FulfillmentMethod.GET)
                .customField(CustomField.customerEmail("k"))
                .build();
        assertThatThrownBy(() -> executor.validate(clash))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                        .containsExactlyInAnyOrder("url", "customFields[0].name"));

        FulfillmentWebhookConfig broken = FulfillmentWebhookConfig.builder("https://licences.example/i?a=%zz")
                .method(FulfillmentMethod.GET)
                .build();
        assertThatThrownBy(() -> executor.validate(broken))
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("url"));
    }

    @Test
    void toStringHidesTheSecretsAndTheUrlsSecretParts() {
        FulfillmentWebhookConfig config = FulfillmentWebhookConfig.builder(
                        "https://licences.example/issue/T0k3nS3cr3t?key=abc")
                .secret(secret)
                .build()
                .rotate();
        assertThat(config.toString())
                .doesNotContain(secret.encoded())
                .doesNotContain(config.secret().reveal())
                .doesNotContain("T0k3nS3cr3t")
                .doesNotContain("key=abc");
        assertThat(config.signingSecrets()).hasSize(2).endsWith(secret);
        assertThat(config.withoutPreviousSecret().previousSecret()).isNull();
    }

    @Test
    void theContractRefusesNonsenseFigures() {
        FulfillmentContract defaults = FulfillmentContract.defaults();
        assertThatThrownBy(() -> defaults.withResponseTimeout(java.time.Duration.ZERO))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("responseTimeout:");
        assertThatThrownBy(() -> defaults.withMaxResponseBytes(0))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("maxResponseBytes:");
        assertThatThrownBy(() -> defaults.withRetries(java.time.Duration.ofMinutes(1), -1))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("maxRetries:");
    }
}
