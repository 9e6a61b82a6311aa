package dev.postpurchase.examples.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.email.EmailCustomExecutor;
import dev.postpurchase.email.EmailReceiptExecutor;
import dev.postpurchase.email.FulfillmentEmailDelivery;
import dev.postpurchase.email.SmtpMailer;
import dev.postpurchase.email.SmtpSecurity;
import dev.postpurchase.examples.standins.CrmWebhookReceiver;
import dev.postpurchase.examples.standins.KajabiStandIn;
import dev.postpurchase.examples.standins.LicenceServerStandIn;
import dev.postpurchase.examples.standins.PostbackChannelStandIn;
import dev.postpurchase.examples.standins.StandInServer;
import dev.postpurchase.examples.standins.SystemeIoStandIn;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.kajabi.KajabiGrantOfferExecutor;
import dev.postpurchase.kajabi.KajabiRevokeOfferExecutor;
import dev.postpurchase.systemeio.SystemeIoIntegration;
import dev.postpurchase.systemeio.SystemeIoThrottle;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.WebhookSecret;
import dev.postpurchase.webhook.fulfillment.WebhookFulfillmentExecutor;
import dev.postpurchase.webhook.postback.WebhookPostbackExecutor;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;

/**
 * Every outside system of the seed flow, played on loopback, and the <b>real</b> executors wired to them: an
 * in-process SMTP server (GreenMail) for the receipt, custom and fulfillment emails; Kajabi's offer activation and
 * deactivation webhooks; the Systeme.io API; a CRM that verifies Standard Webhooks signatures; a licence server for
 * the fulfillment webhook; and a postback channel that verifies its notifications.
 *
 * <p>The SDK's guarded HTTP client reaches the stand-ins only because this class switches on its development
 * allow-list ({@code allowHttp(true)}, {@code allowLoopbackForDevelopment()}); production code never does. Close it
 * to stop the servers.
 */
public final class LocalPeers implements AutoCloseable {
    /** The API key the Systeme.io stand-in accepts. */
    public static final String SYSTEME_IO_KEY = "sk-demo-1234567890";

    private final GreenMail smtp;
    private final StandInServer standIns;
    private final GuardedHttpClient http;
    private final SmtpMailer mailer;
    private final WebhookSecret crmSecret = WebhookSecret.generate();
    private final WebhookSecret postbackSecret = WebhookSecret.generate();
    private final CrmWebhookReceiver crm;
    private final KajabiStandIn kajabi = new KajabiStandIn();
    private final SystemeIoStandIn systemeIo = new SystemeIoStandIn(SYSTEME_IO_KEY);
    private final LicenceServerStandIn licences = new LicenceServerStandIn();
    private final PostbackChannelStandIn postbacks;
    private final String crmUrl;
    private final String kajabiBaseUrl;
    private final String systemeIoBaseUrl;
    private final String licenceUrl;
    private final String postbackUrl;

    private LocalPeers(int smtpPort, int crmFailuresFirst) {
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        standIns = new StandInServer();
        http = GuardedHttpClient.builder()
                // Development only: the stand-ins listen on plain http on loopback. Production keeps both off.
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .readTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(10))
                .build();
        mailer = SmtpMailer.builder()
                .host("127.0.0.1")
                .port(smtp.getSmtp().getPort())
                .security(SmtpSecurity.NONE)
                .from("shop@example.com", "Demo Shop")
                .build();
        crm = new CrmWebhookReceiver(StandardWebhookVerifier.of(crmSecret), crmFailuresFirst);
        postbacks = new PostbackChannelStandIn(StandardWebhookVerifier.of(postbackSecret));
        crmUrl = standIns.mount("/crm", crm);
        kajabiBaseUrl = standIns.mount("", kajabi); // Kajabi's paths start at the root: /webhooks/offers/...
        systemeIoBaseUrl = standIns.mount("/systemeio", systemeIo);
        licenceUrl = standIns.mount("/licence", licences) + "/issue";
        postbackUrl = standIns.mount("/postbacks", postbacks) + "/refunds";
        standIns.mount("/inspect", request -> StandInServer.Response.json(200, inspect()));
    }

    /** What the stand-ins received so far, as JSON: the page a developer opens to see the flow's effects. */
    public String inspect() throws jakarta.mail.MessagingException {
        ObjectNode json = PostpurchaseJson.mapper().createObjectNode();
        ArrayNode mails = json.putArray("emails");
        for (MimeMessage m : smtp.getReceivedMessages()) {
            ObjectNode mail = mails.addObject();
            mail.put("to", String.valueOf(m.getRecipients(jakarta.mail.Message.RecipientType.TO)[0]));
            mail.put("subject", m.getSubject());
            mail.put("messageId", m.getMessageID());
        }
        json.putObject("crm")
                .put("deliveries", crm.deliveries())
                .put("accepted", crm.acceptedIds().size())
                .put("badSignatures", crm.rejected());
        json.putObject("kajabi").put("activationRequests", kajabi.activationRequests());
        ArrayNode keys = json.putObject("licenceServer").putArray("keysIssued");
        licences.keys().forEach(keys::add);
        ArrayNode notifications = json.putObject("postbackChannel").putArray("received");
        for (PostbackChannelStandIn.Notification n : postbacks.received()) {
            notifications
                    .addObject()
                    .put("type", n.type())
                    .put("eventId", n.eventId())
                    .put("webhookId", n.webhookId());
        }
        return PostpurchaseJson.write(json);
    }

    /** Starts every stand-in on a free loopback port; the CRM answers every delivery. */
    public static LocalPeers start() {
        return new LocalPeers(0, 0);
    }

    /**
     * Starts every stand-in; the CRM answers its first {@code crmFailuresFirst} deliveries with 503 (to show a
     * retry).
     */
    public static LocalPeers start(int crmFailuresFirst) {
        return new LocalPeers(0, crmFailuresFirst);
    }

    /**
     * The real executors of every action of the seed, talking to the stand-ins: receipt, custom email, signed
     * webhook, fulfillment webhook (its answers emailed), Kajabi grant and revoke, Systeme.io grant and revoke,
     * postback.
     *
     * @param integrations the merchant's integration settings (Kajabi, Systeme.io with its API key)
     */
    public List<ActionExecutor<?>> executors(IntegrationSettings integrations) {
        return executors(http, mailer, integrations, systemeIoBaseUrl, standIns.baseUrl());
    }

    /**
     * The real executors of every action of the seed, wired to stand-ins served elsewhere (the quick start mounts its
     * own): {@code systemeIoBaseUrl} is the Systeme.io API's base, {@code standInBaseUrl} the server Kajabi's
     * webhooks are on.
     */
    public static List<ActionExecutor<?>> executors(
            GuardedHttpClient http,
            SmtpMailer mailer,
            IntegrationSettings integrations,
            String systemeIoBaseUrl,
            String standInBaseUrl) {
        SystemeIoIntegration systemeIoIntegration = SystemeIoIntegration.builder()
                .settings(integrations)
                .http(http)
                .baseUrl(systemeIoBaseUrl)
                .throttle(SystemeIoThrottle.builder()
                        .permitsPerSecond(20)
                        .burst(10)
                        .build())
                .build();
        return List.of(
                EmailReceiptExecutor.builder().transport(mailer).build(),
                EmailCustomExecutor.builder().transport(mailer).build(),
                WebhookOrderExecutor.builder().httpClient(http).build(),
                fulfillmentExecutor(http, mailer),
                KajabiGrantOfferExecutor.builder()
                        .integrationSettings(integrations)
                        .httpClient(http)
                        .allowDevelopmentBaseUrl(standInBaseUrl)
                        .build(),
                KajabiRevokeOfferExecutor.builder()
                        .integrationSettings(integrations)
                        .httpClient(http)
                        .allowDevelopmentBaseUrl(standInBaseUrl)
                        .build(),
                systemeIoIntegration.grantAccessExecutor(),
                systemeIoIntegration.revokeAccessExecutor(),
                WebhookPostbackExecutor.builder().httpClient(http).build());
    }

    /** A fulfillment webhook executor whose answers reach the customer through the local SMTP server. */
    public WebhookFulfillmentExecutor fulfillmentExecutor() {
        return fulfillmentExecutor(http, mailer);
    }

    private static WebhookFulfillmentExecutor fulfillmentExecutor(GuardedHttpClient http, SmtpMailer mailer) {
        return WebhookFulfillmentExecutor.builder()
                .httpClient(http)
                .delivery(FulfillmentEmailDelivery.create(mailer))
                .build();
    }

    /** The in-process SMTP server: every email the executors sent. */
    public GreenMail smtp() {
        return smtp;
    }

    /** The mailer the email executors use. */
    public SmtpMailer mailer() {
        return mailer;
    }

    /** The guarded HTTP client of the executors, with the development allow-list on. */
    public GuardedHttpClient http() {
        return http;
    }

    /** The base URL of the stand-ins' HTTP server. */
    public String standInBaseUrl() {
        return standIns.baseUrl();
    }

    public CrmWebhookReceiver crm() {
        return crm;
    }

    /** The CRM's webhook URL. */
    public String crmUrl() {
        return crmUrl;
    }

    /** The secret the CRM verifies signatures with. */
    public WebhookSecret crmSecret() {
        return crmSecret;
    }

    public KajabiStandIn kajabi() {
        return kajabi;
    }

    /** The activation URL of a Kajabi offer registered with the stand-in under {@code token}. */
    public String kajabiActivationUrl(String offerId, String token) {
        return kajabiBaseUrl + kajabi.offer(offerId, token);
    }

    public SystemeIoStandIn systemeIo() {
        return systemeIo;
    }

    public LicenceServerStandIn licences() {
        return licences;
    }

    /** The licence server's fulfillment URL. */
    public String licenceUrl() {
        return licenceUrl;
    }

    public PostbackChannelStandIn postbacks() {
        return postbacks;
    }

    /** The postback channel's URL. */
    public String postbackUrl() {
        return postbackUrl;
    }

    /** The secret the postback channel verifies signatures with. */
    public WebhookSecret postbackSecret() {
        return postbackSecret;
    }

    @Override
    public void close() {
        http.close();
        standIns.close();
        smtp.stop();
    }
}
