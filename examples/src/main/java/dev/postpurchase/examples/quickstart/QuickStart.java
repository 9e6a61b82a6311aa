package dev.postpurchase.examples.quickstart;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.event.TransactionInfo;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.OrderSource;
import dev.postpurchase.core.order.Transaction;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.DefinitionQuery;
import dev.postpurchase.core.spi.IntegrationSetting;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.core.spi.SecretCodec;
import dev.postpurchase.core.spi.Versioned;
import dev.postpurchase.email.CustomEmailConfig;
import dev.postpurchase.email.EmailBlock;
import dev.postpurchase.email.EmailCustomExecutor;
import dev.postpurchase.email.LocalizedEmail;
import dev.postpurchase.email.SmtpMailer;
import dev.postpurchase.email.SmtpSecurity;
import dev.postpurchase.examples.local.DemoConfigKey;
import dev.postpurchase.examples.local.LocalPeers;
import dev.postpurchase.examples.standins.CrmWebhookReceiver;
import dev.postpurchase.examples.standins.KajabiStandIn;
import dev.postpurchase.examples.standins.LicenceServerStandIn;
import dev.postpurchase.examples.standins.StandInServer;
import dev.postpurchase.examples.standins.SystemeIoStandIn;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.jdbc.JdbcDefinitionSource;
import dev.postpurchase.jdbc.JdbcIntegrationSettings;
import dev.postpurchase.kajabi.KajabiGrantOfferConfig;
import dev.postpurchase.kajabi.KajabiGrantOfferExecutor;
import dev.postpurchase.kajabi.KajabiRevokeOfferConfig;
import dev.postpurchase.kajabi.KajabiRevokeOfferExecutor;
import dev.postpurchase.systemeio.SystemeIoGrantAccessConfig;
import dev.postpurchase.systemeio.SystemeIoRevokeAccessConfig;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.WebhookSecret;
import dev.postpurchase.webhook.fulfillment.FulfillmentWebhookConfig;
import dev.postpurchase.webhook.fulfillment.WebhookFulfillmentExecutor;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The quick start. One paid order with actions at checkout, offer and product level runs against local stand-ins:
 * a receipt and a Finnish custom email over an in-process SMTP server, a Kajabi grant, Systeme.io tags, a signed
 * webhook that the CRM verifies (it answers 503 once, so the action retries), and a fulfillment webhook whose
 * licence keys reach the customer by email. The Kajabi action starts with a mistyped URL and fails; the merchant
 * fixes the definition and staff re-run it with "use latest template". A refund then revokes Kajabi and Systeme.io
 * access. Prints a table of every action and checks every outcome: the exit code is 0 only when all hold.
 *
 * <p>The merchant's configuration (definitions, the refund subscription, the integration settings) is saved in the
 * same database as the runs, encrypted, by a first "dashboard" session; the session that takes the order starts
 * afresh on a new connection pool and finds it there, as a restarted node would. Running the quick start again finds
 * the previous run's configuration in the database (it then starts afresh).
 *
 * <p>Arguments: none for the embedded H2 store in {@code target/quickstart}; {@code --jdbc-url URL [--jdbc-user U]
 * [--jdbc-password P]} for PostgreSQL (or MariaDB).
 */
public final class QuickStart {
    private static final String CHECKOUT = "checkout-demo";
    private static final String OFFER = "offer-course";
    private static final String COURSE = "course-101";
    private static final String LICENCE_PRODUCT = "desktop-app";
    private static final String KAJABI_OFFER = "2150333211";
    private static final String KAJABI_TOKEN = "oD8Dhsn5yeg8ZynT";
    private static final String SYSTEME_KEY = "sk-demo-1234567890";
    private static final Duration WAIT = Duration.ofSeconds(40);

    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();

    QuickStart(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        StoreFactory.Settings store = StoreFactory.Settings.parse(args);
        int failed = new QuickStart(System.out).run(store);
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Runs the whole scenario; returns the number of failed checks. */
    int run(StoreFactory.Settings storeSettings) throws Exception {
        long started = System.nanoTime();
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (StandInServer standIns = new StandInServer();
                GuardedHttpClient http = GuardedHttpClient.builder()
                        // Development only: the stand-ins listen on plain http on loopback. Production keeps both off.
                        .allowHttp(true)
                        .allowLoopbackForDevelopment()
                        .readTimeout(Duration.ofSeconds(5))
                        .callTimeout(Duration.ofSeconds(10))
                        .build()) {
            // --- outside systems, played locally ---------------------------------------------------------------
            WebhookSecret crmSecret = WebhookSecret.generate();
            CrmWebhookReceiver crm = new CrmWebhookReceiver(StandardWebhookVerifier.of(crmSecret), 1);
            KajabiStandIn kajabi = new KajabiStandIn();
            String activationPath = kajabi.offer(KAJABI_OFFER, KAJABI_TOKEN);
            SystemeIoStandIn systemeIo = new SystemeIoStandIn(SYSTEME_KEY);
            systemeIo.createTag("course-101-student");
            LicenceServerStandIn licences = new LicenceServerStandIn();
            String crmUrl = standIns.mount("/crm", crm);
            String kajabiBase = standIns.mount("", kajabi); // Kajabi's paths start at the root: /webhooks/offers/...
            String systemeBase = standIns.mount("/systemeio", systemeIo);
            String licenceUrl = standIns.mount("/licence", licences) + "/issue";

            SmtpMailer mailer = SmtpMailer.builder()
                    .host("127.0.0.1")
                    .port(smtp.getSmtp().getPort())
                    .security(SmtpSecurity.NONE)
                    .from("shop@example.com", "Demo Shop")
                    .build();
            Peers peers = new Peers(http, mailer, systemeBase, standIns.baseUrl());
            SecretCodec codec = DemoConfigKey.codec();

            // --- a dashboard session saves what the merchant configured --------------------------------------------
            String mistypedUrl = kajabiBase + activationPath.replace(KAJABI_TOKEN, "mistypedToken000");
            try (StoreFactory.OpenStore dashboardDb = StoreFactory.open(storeSettings);
                    JdbcIntegrationSettings integrations = dashboardDb.integrations(codec);
                    JdbcDefinitionSource definitions =
                            dashboardDb.definitions(ActionExecutors.of(peers.executors(integrations)), codec)) {
                out.println("Postpurchase quick start — store: " + dashboardDb.description());
                out.println("Merchant configuration is stored in the same database, " + DemoConfigKey.describe() + ".");
                startAfresh(definitions);
                integrations.save(IntegrationSetting.enabled("kajabi"));
                integrations.save(IntegrationSetting.enabled("systemeio", Secret.of(SYSTEME_KEY)));
                configure(definitions, crmUrl, crmSecret, mistypedUrl, licenceUrl);
            }

            // --- the node that takes orders starts afresh and finds the configuration in the database ------------
            try (StoreFactory.OpenStore db = StoreFactory.open(storeSettings);
                    JdbcIntegrationSettings integrations = db.integrations(codec)) {
                List<ActionExecutor<?>> executorList = peers.executors(integrations);
                try (JdbcDefinitionSource definitions = db.definitions(ActionExecutors.of(executorList), codec)) {
                    takeOrders(
                            db,
                            integrations,
                            definitions,
                            executorList,
                            kajabiBase + activationPath,
                            crmSecret,
                            crm,
                            kajabi,
                            systemeIo,
                            licences,
                            smtp,
                            started);
                }
            }
        } finally {
            smtp.stop();
        }
        out.println(
                failures.isEmpty() ? "\nAll checks passed." : "\n" + failures.size() + " check(s) FAILED: " + failures);
        return failures.size();
    }

    /** The outside systems the executors talk to, so both sessions build the same executors. */
    private record Peers(GuardedHttpClient http, SmtpMailer mailer, String systemeBase, String standInBase) {
        List<ActionExecutor<?>> executors(IntegrationSettings integrations) {
            return LocalPeers.executors(http, mailer, integrations, systemeBase, standInBase);
        }
    }

    /** Removes what a previous run of the quick start saved, so every run starts from the same setup. */
    private void startAfresh(JdbcDefinitionSource definitions) {
        int subscriptions = 0;
        for (ShopEventType type : ShopEventType.values()) {
            for (Versioned<Subscription> s : definitions.subscriptionsOf(type)) {
                definitions.deleteSubscription(s.value().id(), s.version());
                subscriptions++;
            }
        }
        List<Versioned<ActionDefinition>> previous = definitions
                .definitions(DefinitionQuery.all().limit(DefinitionQuery.MAX_LIMIT))
                .items();
        for (Versioned<ActionDefinition> d : previous) {
            definitions.deleteDefinition(d.value().id(), d.version());
        }
        if (!previous.isEmpty()) {
            out.println("Found the configuration of a previous run in the database (" + previous.size()
                    + " definitions, " + subscriptions + " subscription(s)); starting afresh.");
        }
    }

    /** What the merchant configures in the dashboard: actions at all three levels and a refund subscription. */
    private void configure(
            JdbcDefinitionSource definitions,
            String crmUrl,
            WebhookSecret crmSecret,
            String kajabiUrl,
            String licenceUrl) {
        Versioned<ActionDefinition> receipt =
                definitions.checkoutCreated(CHECKOUT).get(0);
        out.println("A new checkout gets its receipt action disabled (enabled: "
                + receipt.value().enabled() + "); the merchant turns it on.");
        definitions.updateDefinition(receipt.value().withEnabled(true), receipt.version());
        definitions.createDefinition(ActionDefinition.builder(WebhookOrderExecutor.TYPE)
                .id("crm-webhook")
                .name("CRM webhook")
                .checkout(CHECKOUT)
                .config(WebhookConfig.of(crmUrl, crmSecret))
                .retryPolicy(RetryPolicy.fixed(Duration.ofSeconds(1), 3))
                .build());
        ActionDefinition kajabiGrant = definitions
                .createDefinition(ActionDefinition.builder(KajabiGrantOfferExecutor.TYPE)
                        .id("kajabi-grant")
                        .name("Grant Kajabi course")
                        .offer(OFFER)
                        .config(KajabiGrantOfferConfig.of("Grant Kajabi course", Secret.of(kajabiUrl))
                                .withSendOfferGrantEmail(true))
                        .retryPolicy(RetryPolicy.fixed(Duration.ofSeconds(1), 2))
                        .build())
                .value();
        definitions.createDefinition(ActionDefinition.builder(EmailCustomExecutor.TYPE)
                .id("welcome-email")
                .name("Welcome email")
                .offer(OFFER)
                .config(new CustomEmailConfig(
                        Map.of(
                                "fi",
                                        new LocalizedEmail(
                                                "Tervetuloa kurssille, {{customer.firstName}}!",
                                                List.of(
                                                        new EmailBlock.Banner(
                                                                "Kurssi on auki",
                                                                "Kirjaudu sisään ja aloita.",
                                                                null,
                                                                null,
                                                                null,
                                                                null),
                                                        new EmailBlock.RichText(
                                                                "<p>Tilauksesi <strong>{{order.id}}</strong> on vahvistettu.</p>"))),
                                "en",
                                        new LocalizedEmail(
                                                "Welcome to the course, {{customer.firstName}}!",
                                                List.of(
                                                        new EmailBlock.RichText(
                                                                "<p>Your order <strong>{{order.id}}</strong> is confirmed.</p>")))),
                        null))
                .build());
        definitions.createDefinition(ActionDefinition.builder("systemeio-grant-access")
                .id("systemeio-grant")
                .name("Tag in Systeme.io")
                .product(COURSE)
                .config(new SystemeIoGrantAccessConfig(
                        "Tag in Systeme.io", List.of("course-101-student", "newsletter"), true))
                .build());
        definitions.createDefinition(ActionDefinition.builder(WebhookFulfillmentExecutor.TYPE)
                .id("licence-keys")
                .name("Licence keys")
                .product(LICENCE_PRODUCT)
                .config(FulfillmentWebhookConfig.builder(licenceUrl)
                        .instructions("<p>Open the app and paste your key under <strong>Help → Activate</strong>.</p>")
                        .separateMultibuy(true)
                        .build())
                .build());
        ActionDefinition kajabiRevoke = definitions
                .createDefinition(ActionDefinition.builder(KajabiRevokeOfferExecutor.TYPE)
                        .id("kajabi-revoke")
                        .name("Revoke Kajabi course")
                        .offer(OFFER)
                        .config(KajabiRevokeOfferConfig.forGrant(kajabiGrant))
                        .build())
                .value();
        ActionDefinition systemeRevoke = definitions
                .createDefinition(ActionDefinition.builder("systemeio-revoke-access")
                        .id("systemeio-revoke")
                        .name("Remove Systeme.io tags")
                        .product(COURSE)
                        .config(SystemeIoRevokeAccessConfig.of("Remove Systeme.io tags", List.of("course-101-student")))
                        .build())
                .value();
        definitions.createSubscription(Subscription.of(
                "refund-revokes", ShopEventType.REFUND_APPLIED, List.of(kajabiRevoke.id(), systemeRevoke.id())));
    }

    /** The order node: checks the configuration it found, then takes a paid order and a refund. */
    private void takeOrders(
            StoreFactory.OpenStore db,
            JdbcIntegrationSettings integrations,
            JdbcDefinitionSource definitions,
            List<ActionExecutor<?>> executorList,
            String fixedKajabiUrl,
            WebhookSecret crmSecret,
            CrmWebhookReceiver crm,
            KajabiStandIn kajabi,
            SystemeIoStandIn systemeIo,
            LicenceServerStandIn licences,
            GreenMail smtp,
            long started)
            throws Exception {
        boolean setupKept = configurationFound(integrations, definitions);
        boolean encryptedAtRest = StoredText.noneContains(
                db.dataSource(),
                StoreFactory.PREFIX,
                List.of(KAJABI_TOKEN, "mistypedToken000", crmSecret.encoded(), SYSTEME_KEY));
        List<String> completions = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ActionPipeline pipeline = ActionPipeline.builder()
                .store(db.store())
                .definitions(definitions)
                .executors(executorList)
                .workers(4)
                .pollInterval(Duration.ofMillis(200))
                .listener(new PipelineListener() {
                    @Override
                    public void triggerCompleted(TriggerCompletion trigger) {
                        completions.add(trigger.key());
                    }
                })
                .build()) {

            // --- a customer pays ---------------------------------------------------------------------------
            String runId = Long.toString(System.currentTimeMillis(), 36);
            Order order = paidOrder(runId);
            out.println("\nPaid order " + order.id() + ": " + order.items().size() + " items, total "
                    + dev.postpurchase.core.order.Money.toDecimalString(
                            order.totals().total(), "EUR") + " EUR");
            List<ActionRun> created = pipeline.submit(order).runs();
            out.println("Submitted: " + created.size() + " actions from checkout, offer and product level.");
            check(
                    "submitting the same order again creates nothing",
                    !pipeline.submit(order).created());

            waitFor(pipeline, order.id(), () -> settled(pipeline.runsOfOrder(order.id())));
            RunTable.print(out, "After the first pass:", pipeline.runsOfOrder(order.id()));
            ActionRun grant = byDefinition(pipeline.runsOfOrder(order.id()), "kajabi-grant");
            check("the mistyped Kajabi URL failed with Kajabi's answer", grant.status() == RunStatus.FAILED);

            // --- the merchant fixes the Kajabi URL; staff re-run with the latest template ------------------
            fixKajabiUrlAndRerun(pipeline, definitions, grant, order, fixedKajabiUrl);
            List<ActionRun> orderRuns = pipeline.runsOfOrder(order.id());
            RunTable.print(out, "After the re-run:", orderRuns);

            // --- a refund revokes access -------------------------------------------------------------------
            ShopEvent refund = refundOf(order, runId);
            boolean grantedBeforeRefund = kajabi.hasGrant(KAJABI_OFFER, "aino.virtanen@example.com");
            Set<String> tagsBeforeRefund = systemeIo.tagsOf("aino.virtanen@example.com");
            out.println("\nRefund " + refund.id() + " published.");
            pipeline.publish(refund);
            waitFor(pipeline, refund.id(), () -> pipeline.runsOfEvent(refund.id()).stream()
                    .allMatch(r -> r.status().isTerminal()));
            List<ActionRun> refundRuns = pipeline.runsOfEvent(refund.id());
            RunTable.print(out, "Refund actions:", refundRuns);

            // --- checks ------------------------------------------------------------------------------------
            out.println("\nChecks:");
            check(
                    "the merchant's setup survived the restart: 8 definitions (the receipt enabled), the refund"
                            + " subscription, Kajabi and Systeme.io with its API key",
                    setupKept);
            check(
                    "the configuration is encrypted at rest: no stored value holds a Kajabi URL, the CRM webhook"
                            + " secret or the Systeme.io API key",
                    encryptedAtRest);
            String externalId = "aino.virtanen@example.com";
            check(
                    "every action of the order succeeded",
                    orderRuns.stream().allMatch(r -> r.status() == RunStatus.SUCCEEDED));
            check(
                    "the order is COMPLETED and that was reported once",
                    pipeline.progressOfOrder(order.id()).completed()
                            && completions.stream()
                                            .filter(k -> k.equals("order:" + order.id()))
                                            .count()
                                    == 1);
            check(
                    "the CRM answered 503 once, the webhook retried, and its signature verified",
                    crm.deliveries() >= 2
                            && crm.acceptedIds().size() == 1
                            && crm.rejected() == 0
                            && byDefinition(orderRuns, "crm-webhook").totalAttempts() >= 2);
            check(
                    "the Kajabi snapshot now has the fixed URL (use latest template)",
                    byDefinition(orderRuns, "kajabi-grant").rerunCount() == 1
                            && byDefinition(orderRuns, "kajabi-grant")
                                    .configJson()
                                    .contains(KAJABI_TOKEN)
                            && !byDefinition(orderRuns, "kajabi-grant")
                                    .configJson()
                                    .contains("mistypedToken"));
            MimeMessage[] mails = smtp.getReceivedMessages();
            if (System.getenv("QUICKSTART_DEBUG") != null) {
                for (MimeMessage m : mails) {
                    out.println("---- " + m.getSubject() + "\n" + MailText.of(m));
                }
                out.println("keys issued: " + licences.keys());
            }
            check("the receipt email arrived", hasMailWithIdContaining(mails, ".receipt@"));
            check("the welcome email arrived in Finnish", hasMailWithSubject(mails, "Tervetuloa kurssille, Aino!"));
            check(
                    "both licence keys arrived by email",
                    licences.keys().size() == 2
                            && licences.keys().stream().allMatch(key -> anyMailContains(mails, key)));
            check(
                    "every refund action succeeded",
                    !refundRuns.isEmpty() && refundRuns.stream().allMatch(r -> r.status() == RunStatus.SUCCEEDED));
            check(
                    "Kajabi granted the offer (with its grant email) once the URL was fixed",
                    grantedBeforeRefund && kajabi.grantEmailRequested(KAJABI_OFFER, externalId));
            check(
                    "Systeme.io had both tags before the refund",
                    Set.of("course-101-student", "newsletter").equals(tagsBeforeRefund));
            check("the refund revoked the Kajabi offer", !kajabi.hasGrant(KAJABI_OFFER, externalId));
            check(
                    "the refund removed the course tag in Systeme.io",
                    Set.of("newsletter").equals(systemeIo.tagsOf(externalId)));
            out.printf(
                    "%nEmails received by the local SMTP server: %d. Took %.1f s.%n",
                    mails.length, (System.nanoTime() - started) / 1e9);
        }
    }

    /** Step: the order node reads back what the dashboard session saved; true when all of it is there. */
    private boolean configurationFound(JdbcIntegrationSettings integrations, JdbcDefinitionSource definitions) {
        List<Versioned<ActionDefinition>> found =
                definitions.definitions(DefinitionQuery.all().limit(100)).items();
        out.println("\nA new session on a new connection pool found " + found.size() + " definitions, "
                + definitions.subscriptions(ShopEventType.REFUND_APPLIED).size() + " refund subscription and "
                + integrations.list().size() + " integrations in the database.");
        return found.size() == 8
                && definitions
                        .byId("receipt-email-" + CHECKOUT)
                        .map(ActionDefinition::enabled)
                        .orElse(false)
                && definitions.subscriptions(ShopEventType.REFUND_APPLIED).size() == 1
                && integrations.isEnabled("kajabi")
                && integrations
                        .apiKey("systemeio")
                        .map(k -> k.reveal().equals(SYSTEME_KEY))
                        .orElse(false);
    }

    /** Step: the order a customer pays: the course and two licences, bought through the offer. */
    private static Order paidOrder(String runId) {
        return Order.builder()
                .id("order-" + runId)
                .checkoutId(CHECKOUT)
                .offerId(OFFER)
                .source(OrderSource.SHOP)
                .language("fi")
                .checkoutLanguages(List.of("fi", "en"))
                .currency("EUR")
                .customer(Customer.builder("aino.virtanen@example.com")
                        .firstName("Aino")
                        .lastName("Virtanen")
                        .build())
                .item(LineItem.builder()
                        .productId(COURSE)
                        .offerId(OFFER)
                        .title("Verkkokurssi 101")
                        .unitPrice(9900)
                        .tax(1916)
                        .build())
                .item(LineItem.builder()
                        .productId(LICENCE_PRODUCT)
                        .offerId(OFFER)
                        .title("Desktop app licence")
                        .quantity(2)
                        .unitPrice(2900)
                        .discount(500)
                        .build())
                .transaction(new Transaction("tx-" + runId, "stripe", "card", null, Instant.now()))
                .build();
    }

    /** Step: the merchant fixes the mistyped Kajabi URL; staff re-run that one action with the latest template. */
    private void fixKajabiUrlAndRerun(
            ActionPipeline pipeline,
            JdbcDefinitionSource definitions,
            ActionRun grant,
            Order order,
            String fixedKajabiUrl)
            throws InterruptedException {
        Versioned<ActionDefinition> mistyped =
                definitions.findDefinition("kajabi-grant").orElseThrow();
        ActionDefinition fixedGrant = definitions
                .updateDefinition(
                        mistyped.value()
                                .withConfig(KajabiGrantOfferConfig.of("Grant Kajabi course", Secret.of(fixedKajabiUrl))
                                        .withSendOfferGrantEmail(true)),
                        mistyped.version())
                .value();
        Versioned<ActionDefinition> revoke =
                definitions.findDefinition("kajabi-revoke").orElseThrow();
        definitions.updateDefinition(
                revoke.value().withConfig(KajabiRevokeOfferConfig.forGrant(fixedGrant)), revoke.version());
        out.println("\nMerchant fixed the Kajabi URL; re-running that one action with \"use latest template\".");
        pipeline.rerun(grant.id(), RerunOptions.defaults().useLatestTemplate(true));
        waitFor(pipeline, order.id(), () -> pipeline.progressOfOrder(order.id()).completed());
    }

    /** Step: the shop refunds the whole order. */
    private static ShopEvent refundOf(Order order, String runId) {
        return ShopEvent.builder("refund-" + runId, ShopEventType.REFUND_APPLIED, EventSource.SHOP, Instant.now())
                .order(order)
                .transaction(new TransactionInfo("rf-" + runId, order.totals().total(), "EUR", "stripe", null))
                .build();
    }

    private void check(String what, boolean ok) {
        out.println("  " + (ok ? "[ok]     " : "[FAILED] ") + what);
        if (!ok) {
            failures.add(what);
        }
    }

    private void waitFor(ActionPipeline pipeline, String label, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                out.println("  gave up waiting for " + label + " after " + WAIT.toSeconds() + " s");
                return;
            }
            List<ActionRun> runs =
                    label.startsWith("refund") ? pipeline.runsOfEvent(label) : pipeline.runsOfOrder(label);
            String now = "  … " + RunTable.progress(runs);
            if (!now.equals(last)) {
                out.println(now);
                last = now;
            }
            Thread.sleep(100);
        }
    }

    private static boolean settled(List<ActionRun> runs) {
        return runs.stream().allMatch(r -> r.status().isTerminal());
    }

    private static ActionRun byDefinition(List<ActionRun> runs, String definitionId) {
        return runs.stream()
                .filter(r -> r.definitionId().equals(definitionId))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no run of " + definitionId));
    }

    private static boolean hasMailWithSubject(MimeMessage[] mails, String subject) {
        for (MimeMessage m : mails) {
            try {
                if (subject.equals(m.getSubject())) {
                    return true;
                }
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean hasMailWithIdContaining(MimeMessage[] mails, String part) {
        for (MimeMessage m : mails) {
            try {
                if (m.getMessageID() != null && m.getMessageID().contains(part)) {
                    return true;
                }
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean anyMailContains(MimeMessage[] mails, String text) {
        for (MimeMessage m : mails) {
            if (MailText.of(m).contains(text)) {
                return true;
            }
        }
        return false;
    }
}
