package dev.postpurchase.examples.renewals;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.email.EmailReceiptExecutor;
import dev.postpurchase.email.SmtpMailer;
import dev.postpurchase.email.SmtpSecurity;
import dev.postpurchase.examples.standins.CrmWebhookReceiver;
import dev.postpurchase.examples.standins.KajabiStandIn;
import dev.postpurchase.examples.standins.StandInServer;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.kajabi.KajabiGrantOfferConfig;
import dev.postpurchase.kajabi.KajabiGrantOfferExecutor;
import dev.postpurchase.kajabi.KajabiOrderConverter;
import dev.postpurchase.kajabi.KajabiWebhooks;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.WebhookSecret;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Kajabi subscription whose first, second and third Payment Succeeded deliveries reach the SDK through the
 * converter and a pipeline with the real Kajabi grant, receipt email and webhook executors against loopback
 * stand-ins: access is granted once, the receipt and the webhook go out for every payment.
 */
class KajabiSubscriptionRenewalTest {
    private static final String OFFER = "777";
    private static final String CHECKOUT = "kajabi";
    private static final String TOKEN = "kT9x2LmQ";
    private static final String RECEIPT = EmailReceiptExecutor.TYPE + "-" + CHECKOUT;

    private final GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    private final KajabiStandIn kajabi = new KajabiStandIn();
    private final WebhookSecret crmSecret = WebhookSecret.generate();
    private final CrmWebhookReceiver crm = new CrmWebhookReceiver(StandardWebhookVerifier.of(crmSecret), 0);
    private StandInServer standIns;
    private GuardedHttpClient http;
    private ActionPipeline pipeline;

    @BeforeEach
    void start() {
        smtp.start();
        standIns = new StandInServer();
        String kajabiBase = standIns.mount("", kajabi);
        String activationUrl = kajabiBase + kajabi.offer(OFFER, TOKEN);
        String crmUrl = standIns.mount("/crm", crm);
        http = GuardedHttpClient.builder()
                .allowHttp(true) // development only: the stand-ins listen on plain http on loopback
                .allowLoopbackForDevelopment()
                .build();
        InMemoryIntegrationSettings integrations =
                IntegrationSettings.inMemory().enable("kajabi");
        SmtpMailer mailer = SmtpMailer.builder()
                .host("127.0.0.1")
                .port(smtp.getSmtp().getPort())
                .security(SmtpSecurity.NONE)
                .from("shop@example.com", "Demo Shop")
                .build();
        List<ActionExecutor<?>> executors = List.of(
                EmailReceiptExecutor.builder().transport(mailer).build(),
                WebhookOrderExecutor.builder().httpClient(http).build(),
                KajabiGrantOfferExecutor.builder()
                        .integrationSettings(integrations)
                        .httpClient(http)
                        .allowDevelopmentBaseUrl(standIns.baseUrl())
                        .build());
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource(ActionExecutors.of(executors)::validate);
        // as a merchant configures them: no definition says anything about renewals, the action types decide
        definitions.save(ActionDefinition.builder(KajabiGrantOfferExecutor.TYPE)
                .id("grant-membership")
                .offer(OFFER)
                .config(KajabiGrantOfferConfig.of("Membership", Secret.of(activationUrl)))
                .build());
        definitions.save(EmailReceiptExecutor.definitionForNewCheckout(CHECKOUT).withEnabled(true));
        definitions.save(ActionDefinition.builder(WebhookOrderExecutor.TYPE)
                .id("crm-webhook")
                .checkout(CHECKOUT)
                .config(WebhookConfig.of(crmUrl, crmSecret))
                .build());
        pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executors(executors)
                .pollInterval(Duration.ofMillis(50))
                .build();
    }

    @AfterEach
    void stop() {
        pipeline.close();
        http.close();
        standIns.close();
        smtp.stop();
    }

    @Test
    void theThirdPaymentOfASubscriptionSendsItsReceiptAndWebhookButDoesNotGrantAgain() throws Exception {
        KajabiOrderConverter converter =
                KajabiOrderConverter.builder().checkoutId(CHECKOUT).build();
        List<String> paidAt = List.of("2025-05-01T09:00:05Z", "2025-06-01T09:00:07Z", "2025-07-01T09:00:03Z");

        for (int n = 1; n <= 3; n++) {
            Order order = converter.fromPayment(KajabiWebhooks.parsePaymentSucceeded(payment(n, paidAt.get(n - 1))));
            pipeline.submit(order);
        }
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(30))).isTrue();

        assertThat(kajabi.activationRequests()).as("grants sent to Kajabi").isEqualTo(1);
        assertThat(kajabi.hasGrant(OFFER, "ada@example.com")).isTrue();
        assertThat(smtp.getReceivedMessages()).as("receipts").hasSize(3);
        assertThat(crm.acceptedIds()).as("signed webhooks, one per payment").hasSize(3);
        assertThat(definitionsRun("kajabi-tx-sub-1"))
                .containsExactlyInAnyOrder("grant-membership", RECEIPT, "crm-webhook");
        assertThat(definitionsRun("kajabi-tx-sub-2")).containsExactlyInAnyOrder(RECEIPT, "crm-webhook");
        assertThat(definitionsRun("kajabi-tx-sub-3")).containsExactlyInAnyOrder(RECEIPT, "crm-webhook");
        for (String order : List.of("kajabi-tx-sub-1", "kajabi-tx-sub-2", "kajabi-tx-sub-3")) {
            assertThat(pipeline.runsOfOrder(order)).allMatch(run -> run.status() == RunStatus.SUCCEEDED);
            assertThat(pipeline.progressOfOrder(order).completed()).isTrue();
        }
    }

    private List<String> definitionsRun(String orderId) {
        return pipeline.runsOfOrder(orderId).stream()
                .map(ActionRun::definitionId)
                .toList();
    }

    /** The n-th Payment Succeeded of a monthly subscription started on 1 May 2025 (Kajabi's documented fields). */
    private static String payment(int n, String paidAt) {
        return """
                {"id": "evt-sub-%1$d", "event": "payment.succeeded",
                 "offer": {"id": 777, "title": "Monthly Membership", "type": "subscription"},
                 "member": {"id": 4242, "email": "ada@example.com", "name": "Ada Lovelace",
                            "first_name": "Ada", "last_name": "Lovelace"},
                 "payment_transaction": {"id": "tx-sub-%1$d", "created_at": "%2$s", "currency": "EUR",
                                         "amount_paid": 2900, "subtotal": 2900, "discount_amount": 0,
                                         "sales_tax": 0, "quantity": 1, "payment_method": "visa",
                                         "payment_processor": "Kajabi Payments"},
                 "recurring_payment": {"id": "sub-42", "created_at": "2025-05-01T09:00:00Z",
                                       "payment_amount": 2900, "interval": "month", "interval_count": 1,
                                       "trial_period_days": null}}
                """
                .formatted(n, paidAt);
    }
}
