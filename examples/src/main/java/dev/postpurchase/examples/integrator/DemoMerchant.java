package dev.postpurchase.examples.integrator;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.OrderSource;
import dev.postpurchase.core.order.Transaction;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.DefinitionQuery;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.core.spi.IntegrationSetting;
import dev.postpurchase.core.spi.IntegrationSettingsStore;
import dev.postpurchase.core.spi.Versioned;
import dev.postpurchase.examples.local.LocalPeers;
import dev.postpurchase.kajabi.KajabiGrantOfferConfig;
import dev.postpurchase.kajabi.KajabiGrantOfferExecutor;
import dev.postpurchase.kajabi.KajabiRevokeOfferConfig;
import dev.postpurchase.kajabi.KajabiRevokeOfferExecutor;
import dev.postpurchase.systemeio.GrantSystemeIoAccessConfig;
import dev.postpurchase.systemeio.RevokeSystemeIoAccessConfig;
import dev.postpurchase.webhook.WebhookActionExecutor;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.fulfillment.FulfillmentWebhookConfig;
import dev.postpurchase.webhook.fulfillment.FulfillmentWebhookExecutor;
import dev.postpurchase.webhook.postback.PostbackConfig;
import dev.postpurchase.webhook.postback.PostbackExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the integrator app's merchant configured in the dashboard, against the local stand-ins: on checkout
 * {@value #CHECKOUT} the receipt (enabled) and a signed CRM webhook; on offer {@value #OFFER} a Kajabi grant; on the
 * course product {@value #COURSE} Systeme.io tags; on the licence product {@value #LICENCE} a fulfillment webhook
 * whose licence key is emailed to the buyer; and a refund subscription that revokes the Kajabi offer and the course
 * tag and notifies a postback channel.
 */
public final class DemoMerchant {
    public static final String CHECKOUT = "checkout-1";
    public static final String OFFER = "offer-1";
    public static final String COURSE = "product-1";
    public static final String LICENCE = "product-2";
    public static final String KAJABI_OFFER = "2150333211";
    public static final String COURSE_TAG = "course-101-student";
    /** Where postback channels hang: a checkout no order uses, so they run for events only. */
    public static final String CHANNELS = "postback-channels";

    private static final String KAJABI_OFFER_TOKEN = "oD8Dhsn5yeg8ZynT";

    private DemoMerchant() {}

    /**
     * Replaces whatever configuration {@code definitions} held (the stand-ins of a previous start listened on other
     * ports) with the demo merchant's.
     */
    public static void configure(DefinitionStore definitions, IntegrationSettingsStore integrations, LocalPeers peers) {
        for (ShopEventType type : ShopEventType.values()) {
            for (Versioned<Subscription> s : definitions.subscriptionsOf(type)) {
                definitions.deleteSubscription(s.value().id(), s.version());
            }
        }
        for (Versioned<ActionDefinition> d : definitions
                .definitions(DefinitionQuery.all().limit(DefinitionQuery.MAX_LIMIT))
                .items()) {
            definitions.deleteDefinition(d.value().id(), d.version());
        }
        integrations.save(IntegrationSetting.enabled("kajabi"));
        integrations.save(IntegrationSetting.enabled("systemeio", Secret.of(LocalPeers.SYSTEME_IO_KEY)));
        peers.systemeIo().createTag(COURSE_TAG);

        Versioned<ActionDefinition> receipt =
                definitions.checkoutCreated(CHECKOUT).get(0);
        definitions.updateDefinition(receipt.value().withEnabled(true), receipt.version());
        definitions.createDefinition(ActionDefinition.builder(WebhookActionExecutor.TYPE)
                .id("crm-webhook")
                .name("CRM webhook")
                .checkout(CHECKOUT)
                .config(WebhookConfig.of(peers.crmUrl(), peers.crmSecret()))
                .retryPolicy(RetryPolicy.fixed(Duration.ofSeconds(1), 3))
                .build());
        ActionDefinition grant = definitions
                .createDefinition(ActionDefinition.builder(KajabiGrantOfferExecutor.TYPE)
                        .id("kajabi-grant")
                        .name("Grant Kajabi course")
                        .offer(OFFER)
                        .config(KajabiGrantOfferConfig.of(
                                "Grant Kajabi course",
                                Secret.of(peers.kajabiActivationUrl(KAJABI_OFFER, KAJABI_OFFER_TOKEN))))
                        .build())
                .value();
        definitions.createDefinition(ActionDefinition.builder("systemeio-grant-access")
                .id("systemeio-grant")
                .name("Tag in Systeme.io")
                .product(COURSE)
                .config(new GrantSystemeIoAccessConfig("Tag in Systeme.io", List.of(COURSE_TAG), false))
                .build());
        definitions.createDefinition(ActionDefinition.builder(FulfillmentWebhookExecutor.TYPE)
                .id("licence-keys")
                .name("Licence keys")
                .product(LICENCE)
                .config(FulfillmentWebhookConfig.builder(peers.licenceUrl())
                        .instructions("<p>Open the app and paste your key under <strong>Help → Activate</strong>.</p>")
                        .build())
                .build());
        ActionDefinition kajabiRevoke = definitions
                .createDefinition(ActionDefinition.builder(KajabiRevokeOfferExecutor.TYPE)
                        .id("kajabi-revoke")
                        .name("Revoke Kajabi course")
                        .offer(OFFER)
                        .config(KajabiRevokeOfferConfig.forGrant(grant))
                        .build())
                .value();
        ActionDefinition tagRevoke = definitions
                .createDefinition(ActionDefinition.builder("systemeio-revoke-access")
                        .id("systemeio-revoke")
                        .name("Remove the course tag")
                        .product(COURSE)
                        .config(RevokeSystemeIoAccessConfig.of("Remove the course tag", List.of(COURSE_TAG)))
                        .build())
                .value();
        ActionDefinition postback = definitions
                .createDefinition(ActionDefinition.builder(PostbackExecutor.TYPE)
                        .id("refund-postback")
                        .name("Refunds channel")
                        .checkout(CHANNELS)
                        .config(PostbackConfig.of(peers.postbackUrl(), peers.postbackSecret()))
                        .build())
                .value();
        definitions.createSubscription(Subscription.of(
                "refunds", ShopEventType.REFUND_APPLIED, List.of(kajabiRevoke.id(), tagRevoke.id(), postback.id())));
    }

    /** A paid order through the demo checkout and offer: the course and one licence. */
    public static Order sampleOrder(String id) {
        return Order.builder()
                .id(id)
                .checkoutId(CHECKOUT)
                .offerId(OFFER)
                .source(OrderSource.SHOP)
                .language("en")
                .checkoutLanguages(List.of("en"))
                .currency("EUR")
                .customer(Customer.builder("aino.virtanen@example.com")
                        .firstName("Aino")
                        .lastName("Virtanen")
                        .build())
                .item(LineItem.builder()
                        .productId(COURSE)
                        .offerId(OFFER)
                        .title("Online course 101")
                        .unitPrice(9900)
                        .build())
                .item(LineItem.builder()
                        .productId(LICENCE)
                        .offerId(OFFER)
                        .title("Desktop app licence")
                        .unitPrice(2900)
                        .build())
                .transaction(new Transaction("tx-" + id, "stripe", "card", null, Instant.parse("2026-01-01T10:00:00Z")))
                .build();
    }
}
