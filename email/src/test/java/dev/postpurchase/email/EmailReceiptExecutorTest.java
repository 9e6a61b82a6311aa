package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.Versioned;
import dev.postpurchase.testing.TestRuns;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmailReceiptExecutorTest {
    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
            .withPerMethodLifecycle(true);

    private SmtpMailer mailer;

    private SmtpMailer mailer(int port) {
        mailer = SmtpMailer.builder()
                .host("127.0.0.1")
                .port(port)
                .security(SmtpSecurity.NONE)
                .from("kauppa@example.fi", "Esimerkkikauppa")
                .localHostName("localhost")
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        return mailer;
    }

    @AfterEach
    void closeMailer() {
        if (mailer != null) {
            mailer.close();
        }
    }

    private EmailReceiptExecutor executor() {
        return EmailReceiptExecutor.builder()
                .transport(mailer(greenMail.getSmtp().getPort()))
                .build();
    }

    private static ActionDefinition definition(Order order, ReceiptEmailConfig config) {
        return ActionDefinition.builder(EmailReceiptExecutor.TYPE)
                .id("receipt-" + order.checkoutId())
                .checkout(order.checkoutId())
                .config(config)
                .build();
    }

    private static ExecutionOutcome run(EmailReceiptExecutor executor, Order order, ReceiptEmailConfig config) {
        return ActionExecutors.attempt(executor, Contexts.forOrder(definition(order, config), config, order));
    }

    private static MimeMessage onlyMessage() {
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(1);
        return received[0];
    }

    @Test
    void sendsAFinnishReceiptWithEurosFormattedTheFinnishWay() throws Exception {
        Order order = TestOrders.finnishEuro();
        ReceiptEmailConfig config = new ReceiptEmailConfig("Esimerkkikauppa Oy", "Europe/Helsinki", Map.of());

        ExecutionOutcome outcome = run(executor(), order, config);

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        MimeMessage received = onlyMessage();
        InternetAddress to = (InternetAddress) received.getRecipients(Message.RecipientType.TO)[0];
        assertThat(to.getAddress()).isEqualTo("anna.virtanen@example.fi");
        assertThat(to.getPersonal()).isEqualTo("Anna Virtanen");
        assertThat(received.getSubject()).isEqualTo("Kuitti tilauksestasi ORD-1001");
        assertThat(received.getHeader("Content-Language")).containsExactly("fi");
        assertThat(received.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        String text = Mail.text(received);
        String html = Mail.html(received);
        for (String part : List.of(text, html)) {
            assertThat(part)
                    .contains("Verkkokurssi: Perusteet")
                    .contains("19,99\u00a0€") // unit price
                    .contains("39,78\u00a0€") // line total: 2 × 19,99 − 5,00 + 4,80
                    .contains("\u22125,00\u00a0€") // discount, with the Finnish minus sign
                    .contains("4,80\u00a0€") // tax
                    .contains("49,88\u00a0€") // subtotal
                    .contains("49,68\u00a0€") // total
                    .contains("Tilausnumero")
                    .contains("ORD-1001")
                    .contains("tx-77")
                    .contains("5. maaliskuuta 2026")
                    .contains("KEVAT5")
                    .contains("Esimerkkikauppa Oy");
        }
        assertThat(text).contains("Maksettu yhteensä: 49,68\u00a0€").contains("2 × 19,99\u00a0€ = 39,78\u00a0€");
        assertThat(html).contains("Maksettu yhteensä").contains("<html lang=\"fi\"");
        assertThat(outcome.toString()).contains("receipt sent as <");
    }

    @Test
    void yenHaveNoDecimalsAndDinarsHaveThree() throws Exception {
        EmailReceiptExecutor executor = executor();
        run(executor, TestOrders.japaneseYen(), ReceiptEmailConfig.defaults());
        run(executor, TestOrders.kuwaitiDinar(), ReceiptEmailConfig.defaults());

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2);
        MimeMessage yen = received[0].getSubject().contains("ORD-JP-1") ? received[0] : received[1];
        MimeMessage dinar = yen == received[0] ? received[1] : received[0];
        assertThat(yen.getSubject()).isEqualTo("Receipt for your order ORD-JP-1");
        assertThat(Mail.text(yen))
                .contains("3 × ¥500 = ¥1,500")
                .contains("Total paid: ¥1,500")
                .doesNotContain("¥1,500.00");
        assertThat(dinar.getSubject()).isEqualTo("Kvitto för din beställning ORD-KW-1");
        assertThat(Mail.text(dinar)).contains("Totalt betalt: 12,345\u00a0KWD");
        assertThat(Mail.html(dinar)).contains("12,345\u00a0KWD").contains("Styckpris");
    }

    @Test
    void linesWhosePriceIsUnknownShowNoPriceOnlyTheOrdersTotals() throws Exception {
        Order bundle = TestOrders.unpricedBundle();

        ExecutionOutcome outcome = run(executor(), bundle, ReceiptEmailConfig.defaults());

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        MimeMessage received = onlyMessage();
        String text = Mail.text(received);
        String html = Mail.html(received);
        for (String part : List.of(text, html)) {
            assertThat(part)
                    .contains("Main Course", "Order Bump 1", "Order Bump 2")
                    .contains("$90.00")
                    .doesNotContain("$30.00", "$0.00", "Unit price");
        }
        assertThat(text).contains("Main Course\r\n  Qty 1\r\n").contains("Total paid: $90.00");
    }

    @Test
    void aCustomerWithoutANameIsGreetedWithoutOneNotByEmailAddress() throws Exception {
        Order anonymous = TestOrders.finnishEuroOrder()
                .language("en")
                .customer(dev.postpurchase.core.order.Customer.builder("matti@example.com")
                        .build())
                .build();
        Order finnish = TestOrders.finnishEuroOrder()
                .customer(dev.postpurchase.core.order.Customer.builder("matti@example.com")
                        .build())
                .build();

        run(executor(), anonymous, ReceiptEmailConfig.defaults());
        run(executor(), finnish, ReceiptEmailConfig.defaults());

        MimeMessage[] received = greenMail.getReceivedMessages();
        MimeMessage english = received[0].getSubject().startsWith("Receipt") ? received[0] : received[1];
        MimeMessage suomi = english == received[0] ? received[1] : received[0];
        assertThat(Mail.text(english)).contains("\r\nHi,\r\n").doesNotContain("Hi matti@example.com");
        assertThat(Mail.html(english)).contains(">Hi,</p>").doesNotContain("Hi matti@example.com");
        assertThat(Mail.text(suomi)).contains("\r\nHei,\r\n").doesNotContain("Hei matti@example.com");
    }

    @Test
    void anUntranslatedLanguageGetsEnglishTextsWithItsOwnNumberFormat() throws Exception {
        Order german = TestOrders.finnishEuroOrder().language("de-DE").build();

        run(executor(), german, ReceiptEmailConfig.defaults());

        MimeMessage received = onlyMessage();
        assertThat(received.getSubject()).isEqualTo("Receipt for your order ORD-1001");
        assertThat(received.getHeader("Content-Language")).containsExactly("en");
        assertThat(Mail.text(received)).contains("Total paid: 49,68\u00a0€").contains("5. März 2026");
    }

    @Test
    void aHostileCustomerNameCannotInjectHtmlOrHeaders() throws Exception {
        run(executor(), TestOrders.hostileCustomer("en"), ReceiptEmailConfig.defaults());

        MimeMessage received = onlyMessage();
        String html = Mail.html(received);
        assertThat(html)
                .doesNotContain("<script")
                .contains("Hi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Bcc: evil@example.org  X-Evil: 1,");
        assertThat(Mail.text(received))
                .contains("Hi <script>alert('x')</script> Bcc: evil@example.org  X-Evil: 1,\r\n");
        assertThat(received.getAllRecipients()).hasSize(1);
        assertThat(received.getRecipients(Message.RecipientType.BCC)).isNull();
        assertThat(received.getHeader("X-Evil")).isNull();
        assertThat(jakarta.mail.internet.MimeUtility.unfold(received.getHeader("To")[0]))
                .as("only RFC 5322 folding, no line of its own")
                .doesNotContain("\r", "\n");
        InternetAddress to = (InternetAddress) received.getRecipients(Message.RecipientType.TO)[0];
        assertThat(to.getAddress()).isEqualTo("victim@example.com");
        assertThat(to.getPersonal()).isEqualTo("<script>alert('x')</script> Bcc: evil@example.org  X-Evil: 1");
    }

    @Test
    void aResendOfTheSameRunCarriesTheSameMessageId() throws Exception {
        Order order = TestOrders.finnishEuro();
        ReceiptEmailConfig config = ReceiptEmailConfig.defaults();
        var context = Contexts.forOrder(definition(order, config), config, order);
        EmailReceiptExecutor executor = executor();

        ActionExecutors.attempt(executor, context);
        ActionExecutors.attempt(executor, context);
        Order other = TestOrders.finnishEuroOrder().id("ORD-1002").build();
        run(executor, other, config);

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(3);
        String expected = MessageIds.forRun(context.idempotencyKey(), "receipt");
        assertThat(received[0].getMessageID()).isEqualTo(expected);
        assertThat(received[1].getMessageID()).isEqualTo(expected);
        assertThat(received[2].getMessageID()).isNotEqualTo(expected).endsWith(".receipt@postpurchase.invalid>");
    }

    @Test
    void aMerchantTemplateOverridesTheBodySafely() throws Exception {
        ReceiptTemplate finnish = new ReceiptTemplate(
                "{{shop.name}}: tilaus {{order.id}} ({{order.total}})",
                "<h2 onclick=\"x()\">Kiitos {{customer.firstName}}!</h2><script>alert(1)</script>{{items}}"
                        + "<p style=\"display:none\">Yhteensä {{order.total}}</p>{{totals}}"
                        + "<p>Terveisin, <a href=\"https://shop.example/tuki\">tuki</a></p>",
                null);
        ReceiptEmailConfig config = new ReceiptEmailConfig("Kauppa", null, Map.of("fi", finnish));
        EmailReceiptExecutor executor = executor();
        executor.validate(config);

        run(executor, TestOrders.finnishEuro(), config);

        MimeMessage received = onlyMessage();
        assertThat(received.getSubject()).isEqualTo("Kauppa: tilaus ORD-1001 (49,68\u00a0€)");
        String html = Mail.html(received);
        assertThat(html)
                .contains("<h2 style=")
                .contains("Kiitos Anna!</h2>")
                .contains("Verkkokurssi: Perusteet")
                .contains("<p style=\"margin:0 0 16px 0;\">Yhteensä 49,68\u00a0€</p>")
                .contains("href=\"https://shop.example/tuki\"")
                .doesNotContain("<script", "onclick", "<p style=\"display:none\"");
        assertThat(Mail.text(received))
                .contains("Kiitos Anna!")
                .contains("2 × 19,99\u00a0€ = 39,78\u00a0€")
                .contains("tuki (https://shop.example/tuki)");
    }

    @Test
    void theAnyLanguageTemplateAppliesToLanguagesWithoutTheirOwn() throws Exception {
        ReceiptEmailConfig config = new ReceiptEmailConfig(
                null,
                null,
                Map.of(
                        "*", new ReceiptTemplate("Order {{order.id}}", null, null),
                        "fi", new ReceiptTemplate("Tilaus {{order.id}}", null, null)));

        EmailReceiptExecutor executor = executor();
        run(executor, TestOrders.kuwaitiDinar(), config);
        run(executor, TestOrders.finnishEuroOrder().language("fi-FI").build(), config);

        assertThat(List.of(greenMail.getReceivedMessages()).stream()
                        .map(m -> {
                            try {
                                return m.getSubject();
                            } catch (jakarta.mail.MessagingException e) {
                                throw new IllegalStateException(e);
                            }
                        })
                        .toList())
                .containsExactlyInAnyOrder("Order ORD-KW-1", "Tilaus ORD-1001");
    }

    @Test
    void validationNamesEveryBadTemplateField() {
        EmailReceiptExecutor executor = EmailReceiptExecutor.builder()
                .transport(mailer(greenMail.getSmtp().getPort()))
                .build();
        ReceiptEmailConfig config = new ReceiptEmailConfig(
                "Shop\nBcc: x",
                "Mars/Olympus",
                Map.of(
                        "fi",
                                new ReceiptTemplate(
                                        "Kuitti\r\nBcc: evil@example.org", "<p>{{customer.password}}</p>", null),
                        "sv", new ReceiptTemplate("Kvitto {{order.id", null, "{{t.nope}}"),
                        "not a language", new ReceiptTemplate(null, null, null)));

        ValidationException e = catchThrowableOfType(ValidationException.class, () -> executor.validate(config));

        assertThat(e.fields())
                .containsExactlyInAnyOrder(
                        "shopName",
                        "timeZone",
                        "templates.fi.subject",
                        "templates.fi.html",
                        "templates.sv.subject",
                        "templates.sv.text",
                        "templates.not a language");
    }

    @Test
    void itHangsOnCheckoutsOnlyAndNewCheckoutsGetItDisabled() {
        EmailReceiptExecutor executor = executor();
        assertThat(executor.levels()).containsExactly(ActionLevel.CHECKOUT);
        assertThat(executor.triggerKinds()).containsExactly(TriggerKind.ORDER);
        assertThat(executor.idempotent()).isFalse();

        ActionDefinition added = EmailReceiptExecutor.definitionForNewCheckout("chk-9");
        assertThat(added.enabled()).isFalse();
        assertThat(added.level()).isEqualTo(ActionLevel.CHECKOUT);
        assertThat(added.targetId()).isEqualTo("chk-9");
        assertThat(added.type()).isEqualTo("receipt-email");
        ActionExecutors executors = ActionExecutors.of(List.of(executor));
        executors.validate(added);

        ActionDefinition onProduct = ActionDefinition.builder(EmailReceiptExecutor.TYPE)
                .id("r-p")
                .product("prod-1")
                .config(ReceiptEmailConfig.defaults())
                .build();
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> executors.validate(onProduct));
        assertThat(e.fields()).containsExactly("level");
    }

    @Test
    void creatingACheckoutAddsTheReceiptDisabledOnceAndKeepsTheMerchantsChoiceWhenRepeated() {
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource(ActionExecutors.of(List.of(executor())));

        List<Versioned<ActionDefinition>> added = definitions.checkoutCreated("chk-9");

        assertThat(added).singleElement().satisfies(d -> {
            assertThat(d.value()).isEqualTo(EmailReceiptExecutor.definitionForNewCheckout("chk-9"));
            assertThat(d.value().enabled()).isFalse();
            assertThat(d.version()).isEqualTo(1);
        });
        definitions.updateDefinition(added.get(0).value().withEnabled(true), 1);

        assertThat(definitions.checkoutCreated("chk-9"))
                .singleElement()
                .satisfies(d -> assertThat(d.value().enabled()).isTrue());
        assertThat(definitions.forCheckout("chk-9")).hasSize(1);
    }

    @Test
    void aTriggerWithoutAnOrderFailsForGoodInsteadOfRetrying() {
        EmailReceiptExecutor executor = executor();
        ReceiptEmailConfig config = ReceiptEmailConfig.defaults();
        ActionDefinition definition = definition(TestOrders.finnishEuro(), config);
        ActionRun run = TestRuns.claimed(
                ActionRun.create(TriggerKind.EVENT, "evt-1", definition, RetryPolicy.none(), Contexts.NOW),
                "test-node",
                Contexts.NOW);

        ExecutionOutcome outcome = ActionExecutors.attempt(
                executor, new ExecutionContext<>(run, config, null, null, Clock.fixed(Contexts.NOW, ZoneOffset.UTC)));

        assertThat(outcome)
                .isEqualTo(ExecutionOutcome.permanent(
                        "the receipt-email action needs an order, but the event:evt-1 trigger has none"));
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void theBuilderNamesEveryBadSetting() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> EmailReceiptExecutor.builder()
                .messageIdDomain("not a domain")
                .retryPolicy(null)
                .build());

        assertThat(e.fields()).containsExactly("transport", "messageIdDomain", "retryPolicy");
    }

    @Test
    void aServerThatIsDownMakesTheAttemptRetryable() {
        EmailReceiptExecutor executor = EmailReceiptExecutor.builder()
                .transport(mailer(Mail.closedPort()))
                .build();

        ExecutionOutcome outcome = run(executor, TestOrders.finnishEuro(), ReceiptEmailConfig.defaults());

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.RetryableFailure.class, r -> assertThat(
                        r.failure().reason())
                .startsWith("could not connect to SMTP server"));
    }

    @Test
    void aRejectedRecipientFailsPermanentlyWithTheServersReply() throws Exception {
        try (TinySmtpServer server = new TinySmtpServer().rcptReply("550 5.1.1 User unknown")) {
            EmailReceiptExecutor executor = EmailReceiptExecutor.builder()
                    .transport(mailer(server.port()))
                    .build();

            ExecutionOutcome outcome = run(executor, TestOrders.finnishEuro(), ReceiptEmailConfig.defaults());

            assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.PermanentFailure.class, p -> {
                assertThat(p.statusCode()).isEqualTo(550);
                assertThat(p.reason())
                        .startsWith("recipient rejected by the SMTP server")
                        .endsWith("550 5.1.1 User unknown");
            });
        }
    }

    @Test
    void theMessageIdDomainSetOnceOnTheMailerIsUsedByEveryExecutor() {
        try (SmtpMailer shopMailer = SmtpMailer.builder()
                .host("127.0.0.1")
                .port(greenMail.getSmtp().getPort())
                .security(SmtpSecurity.NONE)
                .from("kauppa@example.fi", "Esimerkkikauppa")
                .messageIdDomain("kauppa.example.fi")
                .build()) {
            EmailReceiptExecutor receipt =
                    EmailReceiptExecutor.builder().transport(shopMailer).build();
            EmailCustomExecutor custom =
                    EmailCustomExecutor.builder().transport(shopMailer).build();
            FulfillmentEmailDelivery fulfillment =
                    FulfillmentEmailDelivery.builder().transport(shopMailer).build();
            EmailReceiptExecutor overridden = EmailReceiptExecutor.builder()
                    .transport(shopMailer)
                    .messageIdDomain("other.example")
                    .build();

            assertThat(receipt.render(TestOrders.finnishEuro(), ReceiptEmailConfig.defaults(), "msg_1", Contexts.NOW)
                            .messageId())
                    .endsWith("@kauppa.example.fi>");
            assertThat(overridden
                            .render(TestOrders.finnishEuro(), ReceiptEmailConfig.defaults(), "msg_1", Contexts.NOW)
                            .messageId())
                    .endsWith("@other.example>");
            assertThat(custom.render(
                                    TestOrders.finnishEuro(),
                                    new CustomEmailConfig(Map.of("fi", EmailCustomExecutorTest.finnish()), null),
                                    "msg_1",
                                    Contexts.NOW)
                            .messageId())
                    .isEqualTo("<msg_1.custom@kauppa.example.fi>");
            assertThat(fulfillment
                            .render(FulfillmentEmailDeliveryTest.message())
                            .messageId())
                    .endsWith(".fulfillment@kauppa.example.fi>");
        }
    }

    @Test
    void rendersReceiptsToFilesAPersonCanOpen() throws Exception {
        EmailReceiptExecutor executor = executor();
        ReceiptEmailConfig config = new ReceiptEmailConfig("Esimerkkikauppa Oy", "Europe/Helsinki", Map.of());
        Map<String, Order> orders = Map.of(
                "receipt-fi-eur.html", TestOrders.finnishEuro(),
                "receipt-en-jpy.html", TestOrders.japaneseYen(),
                "receipt-sv-kwd.html", TestOrders.kuwaitiDinar(),
                "receipt-hostile-name.html", TestOrders.hostileCustomer("en"));
        for (Map.Entry<String, Order> entry : orders.entrySet()) {
            EmailMessage message = executor.render(entry.getValue(), config, "msg_preview", Contexts.NOW);
            Path file = Mail.writeRendered(entry.getKey(), message.html());
            Files.writeString(file.resolveSibling(entry.getKey().replace(".html", ".txt")), message.text());

            String html = Files.readString(file);
            assertThat(html)
                    .startsWith("<!DOCTYPE html>")
                    .contains("<table role=\"presentation\"")
                    .doesNotContain("<style", "<script", "<link", "class=", "src=\"http:");
        }
        assertThat(Path.of("target", "rendered-emails", "receipt-fi-eur.html")).exists();
    }
}
