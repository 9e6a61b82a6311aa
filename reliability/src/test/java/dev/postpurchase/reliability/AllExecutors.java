package dev.postpurchase.reliability;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.email.CustomEmailConfig;
import dev.postpurchase.email.EmailBlock;
import dev.postpurchase.email.EmailCustomExecutor;
import dev.postpurchase.email.EmailReceiptExecutor;
import dev.postpurchase.email.FulfillmentEmailDelivery;
import dev.postpurchase.email.LocalizedEmail;
import dev.postpurchase.email.ReceiptEmailConfig;
import dev.postpurchase.email.ReceiptTemplate;
import dev.postpurchase.email.SmtpMailer;
import dev.postpurchase.email.SmtpSecurity;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.kajabi.KajabiExternalUserId;
import dev.postpurchase.kajabi.KajabiGrantOfferConfig;
import dev.postpurchase.kajabi.KajabiGrantOfferExecutor;
import dev.postpurchase.kajabi.KajabiRevokeOfferConfig;
import dev.postpurchase.kajabi.KajabiRevokeOfferExecutor;
import dev.postpurchase.systemeio.SystemeIoGrantAccessConfig;
import dev.postpurchase.systemeio.SystemeIoIntegration;
import dev.postpurchase.systemeio.SystemeIoRevokeAccessConfig;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.WebhookSecret;
import dev.postpurchase.webhook.fulfillment.CustomField;
import dev.postpurchase.webhook.fulfillment.FulfillmentMethod;
import dev.postpurchase.webhook.fulfillment.FulfillmentWebhookConfig;
import dev.postpurchase.webhook.fulfillment.WebhookFulfillmentExecutor;
import dev.postpurchase.webhook.postback.PostbackConfig;
import dev.postpurchase.webhook.postback.WebhookPostbackExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every executor of the SDK, built on one guarded HTTP client and one SMTP mailer, with the Kajabi and Systeme.io
 * integrations switched on, and a valid config for each (its secrets registered with {@link Evidence}).
 */
final class AllExecutors implements AutoCloseable {
    final InMemoryIntegrationSettings settings = new InMemoryIntegrationSettings();
    final SmtpMailer mailer;
    final SystemeIoIntegration systemeIo;
    final List<ActionExecutor<?>> executors;
    final Map<String, Object> validConfigs;
    final String systemeIoKey =
            Evidence.secret("sk-" + UUID.randomUUID().toString().replace("-", ""));
    final String kajabiToken =
            Evidence.secret("tok" + UUID.randomUUID().toString().replace("-", ""));

    AllExecutors(GuardedHttpClient http) {
        settings.enable(KajabiGrantOfferExecutor.INTEGRATION);
        settings.enable(SystemeIoIntegration.ID, Secret.of(systemeIoKey));
        mailer = SmtpMailer.builder()
                .host("127.0.0.1")
                .port(1)
                .security(SmtpSecurity.NONE)
                .from("shop@example.com", "Shop")
                .localHostName("localhost")
                .connectTimeout(Duration.ofMillis(300))
                .build();
        systemeIo = SystemeIoIntegration.builder().settings(settings).http(http).build();
        executors = List.of(
                WebhookOrderExecutor.builder().httpClient(http).build(),
                KajabiGrantOfferExecutor.builder()
                        .integrationSettings(settings)
                        .httpClient(http)
                        .build(),
                KajabiRevokeOfferExecutor.builder()
                        .integrationSettings(settings)
                        .httpClient(http)
                        .build(),
                systemeIo.grantAccessExecutor(),
                systemeIo.revokeAccessExecutor(),
                EmailReceiptExecutor.builder().transport(mailer).build(),
                EmailCustomExecutor.builder().transport(mailer).build(),
                WebhookFulfillmentExecutor.builder()
                        .httpClient(http)
                        .delivery(FulfillmentEmailDelivery.create(mailer))
                        .build(),
                WebhookPostbackExecutor.builder().httpClient(http).build());
        WebhookSecret secret = WebhookSecret.generate();
        Evidence.secret(secret.encoded());
        String kajabiBase = "https://checkout.kajabi.com/webhooks/offers/" + kajabiToken + "/2150";
        Evidence.secret(kajabiBase);
        validConfigs = Map.of(
                WebhookOrderExecutor.TYPE,
                WebhookConfig.of("https://hooks.example.com/orders", secret),
                KajabiGrantOfferExecutor.TYPE,
                KajabiGrantOfferConfig.of("Grant course", Secret.of(kajabiBase + "/activate")),
                KajabiRevokeOfferExecutor.TYPE,
                new KajabiRevokeOfferConfig(
                        "Revoke course",
                        Secret.of(kajabiBase + "/deactivate"),
                        false,
                        KajabiExternalUserId.NORMALISED_EMAIL,
                        ActionLevel.PRODUCT,
                        "product-1",
                        false),
                "systemeio-grant-access",
                SystemeIoGrantAccessConfig.of("Course access", List.of("course-a", "vip")),
                "systemeio-revoke-access",
                SystemeIoRevokeAccessConfig.of("Revoke access", List.of("course-a")),
                EmailReceiptExecutor.TYPE,
                new ReceiptEmailConfig(
                        "Shop",
                        "Europe/Helsinki",
                        Map.of("fi", new ReceiptTemplate("Kuitti {{order.id}}", null, null))),
                EmailCustomExecutor.TYPE,
                new CustomEmailConfig(
                        Map.of(
                                "fi",
                                new LocalizedEmail(
                                        "Tervetuloa {{customer.firstName}}",
                                        List.of(
                                                new EmailBlock.RichText("<p>Hei <b>{{customer.firstName}}</b></p>"),
                                                new EmailBlock.Banner("Kurssi", "Alkaa", null, null, null, null)))),
                        null),
                WebhookFulfillmentExecutor.TYPE,
                FulfillmentWebhookConfig.builder("https://fulfil.example.com/licences")
                        .method(FulfillmentMethod.POST)
                        .secret(secret)
                        .instructions("<p>Your key:</p>")
                        .customField(CustomField.staticValue("shop", "demo"))
                        .build(),
                WebhookPostbackExecutor.TYPE,
                PostbackConfig.of("https://hooks.example.com/events", secret));
    }

    @Override
    public void close() {
        systemeIo.close();
        mailer.close();
    }
}
