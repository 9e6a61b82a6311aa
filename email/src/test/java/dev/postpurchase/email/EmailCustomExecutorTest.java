package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ExecutionOutcome;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmailCustomExecutorTest {
    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
            .withPerMethodLifecycle(true);

    private SmtpMailer mailer;
    private EmailCustomExecutor executor;

    @BeforeEach
    void setUp() {
        mailer = SmtpMailer.builder()
                .host("127.0.0.1")
                .port(greenMail.getSmtp().getPort())
                .security(SmtpSecurity.NONE)
                .from("kauppa@example.fi", "Esimerkkikauppa")
                .localHostName("localhost")
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        executor = EmailCustomExecutor.builder()
                .transport(mailer)
                .messageIdDomain("shop.example.com")
                .build();
    }

    @AfterEach
    void tearDown() {
        mailer.close();
    }

    static LocalizedEmail finnish() {
        return new LocalizedEmail(
                "Tervetuloa kurssille, {{customer.firstName}}!",
                List.of(
                        new EmailBlock.Image(
                                "https://cdn.example.com/banner.png",
                                "Kurssin kansikuva",
                                "https://shop.example.com",
                                null),
                        new EmailBlock.RichText(
                                "<h2>Hei {{customer.firstName}}!</h2><p>Tilauksesi <strong>{{order.id}}</strong>"
                                        + " ({{order.total}}) on vahvistettu.</p><script>steal()</script>"
                                        + "<p onclick=\"x\">Yritys: {{customer.field.company_size}} hlö</p>"
                                        + "<ul><li>Moduuli 1</li><li>Moduuli 2</li></ul>"
                                        + "<p><a href=\"javascript:alert(1)\">klikkaa</a> tai"
                                        + " <a href=\"https://shop.example.com/kurssi\">avaa kurssi</a></p>"),
                        new EmailBlock.Banner(
                                "Aloita nyt, {{customer.firstName}}",
                                "Kurssi on auki\nheti.",
                                "https://shop.example.com/start",
                                "Avaa kurssi",
                                "#0f766e",
                                "#ffffff")));
    }

    static LocalizedEmail english() {
        return new LocalizedEmail(
                "Welcome, {{customer.firstName}}",
                List.of(new EmailBlock.RichText("<p>Hello {{customer.name}}, order {{order.id}}.</p>")));
    }

    private ExecutionOutcome run(Order order, CustomEmailConfig config) {
        ActionDefinition definition = ActionDefinition.builder(EmailCustomExecutor.TYPE)
                .id("custom-1")
                .product("prod-course")
                .config(config)
                .build();
        return ActionExecutors.attempt(executor, Contexts.forOrder(definition, config, order));
    }

    @Test
    void aCustomerWithoutANameIsGreetedWithoutOneNotByEmailAddress() throws Exception {
        CustomEmailConfig config = new CustomEmailConfig(Map.of("fi", finnish(), "en", english()), null);
        dev.postpurchase.core.order.Customer nameless = dev.postpurchase.core.order.Customer.builder(
                        "matti@example.com")
                .build();

        run(TestOrders.finnishEuroOrder().customer(nameless).build(), config);
        run(TestOrders.finnishEuroOrder().language("en").customer(nameless).build(), config);

        MimeMessage[] received = greenMail.getReceivedMessages();
        MimeMessage finnish = received[0].getSubject().startsWith("Tervetuloa") ? received[0] : received[1];
        MimeMessage english = finnish == received[0] ? received[1] : received[0];
        assertThat(finnish.getSubject()).isEqualTo("Tervetuloa kurssille!");
        assertThat(Mail.html(finnish)).contains("Hei!</h2>").contains(">Aloita nyt</div>");
        assertThat(english.getSubject()).isEqualTo("Welcome");
        assertThat(Mail.text(english)).contains("Hello, order ORD-1001.").doesNotContain("Hello matti@example.com");
    }

    @Test
    void sendsTheContentOfTheOrdersLanguageWithPlaceholdersFilledIn() throws Exception {
        CustomEmailConfig config = new CustomEmailConfig(Map.of("fi", finnish(), "en", english()), null);
        executor.validate(config);

        ExecutionOutcome outcome = run(TestOrders.finnishEuro(), config);

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.Succeeded.class, s -> assertThat(s.result())
                .matches("custom email sent as <msg_[0-9a-f]{32}\\.custom@shop\\.example\\.com> in fi"));
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Tervetuloa kurssille, Anna!");
        assertThat(((InternetAddress) received.getRecipients(Message.RecipientType.TO)[0]).getAddress())
                .isEqualTo("anna.virtanen@example.fi");
        assertThat(received.getMessageID()).endsWith(".custom@shop.example.com>");
        String html = Mail.html(received);
        assertThat(html)
                .contains("<img src=\"https://cdn.example.com/banner.png\" alt=\"Kurssin kansikuva\"")
                .contains("<a href=\"https://shop.example.com\" target=\"_blank\"")
                .contains("Hei Anna!</h2>")
                .contains("Tilauksesi <strong>ORD-1001</strong> (49,68\u00a0€) on vahvistettu.</p>")
                .contains("Yritys: 10 hlö")
                .contains("<a style=\"color:#1d4ed8;text-decoration:underline;\">klikkaa</a>")
                .contains("href=\"https://shop.example.com/kurssi\"")
                .contains("bgcolor=\"#0f766e\"")
                .contains("Aloita nyt, Anna")
                .contains("Kurssi on auki<br>\r\nheti.")
                .contains(">Avaa kurssi</a>")
                .doesNotContain("<script", "steal()", "javascript:", "onclick");
        assertThat(Mail.text(received))
                .contains("[Kurssin kansikuva] https://shop.example.com")
                .contains("Hei Anna!")
                .contains("Tilauksesi ORD-1001 (49,68\u00a0€) on vahvistettu.")
                .contains("- Moduuli 1")
                .contains("avaa kurssi (https://shop.example.com/kurssi)")
                .contains("ALOITA NYT, ANNA")
                .contains("Avaa kurssi: https://shop.example.com/start");
    }

    @Test
    void fallsBackToTheCheckoutsFirstLanguageAndSaysSoOnTheRun() throws Exception {
        CustomEmailConfig config = new CustomEmailConfig(Map.of("fi", finnish(), "en", english()), null);
        Order swedish = TestOrders.finnishEuroOrder()
                .language("sv")
                .checkoutLanguages(List.of("en", "fi", "sv"))
                .build();

        ExecutionOutcome outcome = run(swedish, config);

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.Succeeded.class, s -> assertThat(s.result())
                .endsWith(" in en (no content for the order's language 'sv', used the checkout's first language)"));
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Welcome, Anna");
        assertThat(received.getHeader("Content-Language")).containsExactly("en");
        assertThat(Mail.html(received)).contains("<html lang=\"en\"");
    }

    @Test
    void aRegionalOrderLanguageFindsItsPrimaryLanguageFirst() {
        CustomEmailConfig config = new CustomEmailConfig(Map.of("fi", finnish(), "en", english()), null);
        Order order = TestOrders.finnishEuroOrder()
                .language("fi-FI")
                .checkoutLanguages(List.of("en"))
                .build();

        assertThat(EmailCustomExecutor.contentLanguage(config, order)).isEqualTo("fi");
    }

    @Test
    void withoutContentInEitherLanguageTheEmailIsSkippedNotFailed() {
        CustomEmailConfig config =
                new CustomEmailConfig(Map.of("de", english(), "fi", new LocalizedEmail("", List.of())), null);
        Order order = TestOrders.finnishEuroOrder()
                .language("sv")
                .checkoutLanguages(List.of("fi", "sv"))
                .build();

        ExecutionOutcome outcome = run(order, config);

        assertThat(outcome)
                .isEqualTo(ExecutionOutcome.skipped("no content for the order's language 'sv' nor the checkout's"
                        + " first language 'fi'; email not sent"));
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void aCheckoutWithoutLanguagesSkipsWhenTheOrdersLanguageHasNoContent() {
        CustomEmailConfig config = new CustomEmailConfig(Map.of("fi", finnish()), null);
        Order order = TestOrders.finnishEuroOrder()
                .language("en")
                .checkoutLanguages(List.of())
                .build();

        assertThat(run(order, config)).isInstanceOf(ExecutionOutcome.Skipped.class);
    }

    @Test
    void customerDataIsAlwaysEscapedAndFlattened() throws Exception {
        CustomEmailConfig config = new CustomEmailConfig(Map.of("en", english(), "fi", finnish()), null);

        run(TestOrders.hostileCustomer("en"), config);

        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Welcome, <script>alert('x')</script>");
        assertThat(Mail.html(received))
                .doesNotContain("<script")
                .contains("Hello &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Bcc: evil@example.org  X-Evil: 1,");
        assertThat(received.getHeader("X-Evil")).isNull();
        assertThat(received.getAllRecipients()).hasSize(1);
    }

    @Test
    void theConfigRoundTripsThroughJsonWithTypedBlocks() {
        CustomEmailConfig config = new CustomEmailConfig(Map.of("fi", finnish()), "Europe/Helsinki");

        String json = PostpurchaseJson.write(config);
        CustomEmailConfig back = PostpurchaseJson.read(json, CustomEmailConfig.class, "config");

        assertThat(json).contains("\"type\":\"image\"", "\"type\":\"rich-text\"", "\"type\":\"banner\"");
        assertThat(back).isEqualTo(config);
    }

    @Test
    void savingAnEmailWithoutContentForALanguageOfItsCheckoutNamesEachMissingLanguage() {
        // as a dashboard saves it: the content, and the languages of the checkout it is for
        com.fasterxml.jackson.databind.node.ObjectNode json = PostpurchaseJson.mapper()
                .valueToTree(new CustomEmailConfig(Map.of("fi", finnish(), "en", english()), null));
        json.putArray("checkoutLanguages").add("fi-FI").add("en").add("sv").add("de");
        String saved = json.toString();
        ActionDefinition definition = ActionDefinition.builder(EmailCustomExecutor.TYPE)
                .id("welcome")
                .offer("offer-1")
                .configJson(saved)
                .build();

        ValidationException e = catchThrowableOfType(
                ValidationException.class, () -> dev.postpurchase.core.ActionExecutors.of(List.of(executor))
                        .validate(definition));

        assertThat(e)
                .as("a checkout language without content is refused on save")
                .isNotNull();
        assertThat(e.fields()).containsExactly("config.content.sv", "config.content.de");
        assertThat(e.getMessage())
                .contains("the checkout supports 'sv' but this email has no subject and content for it");
        CustomEmailConfig config = PostpurchaseJson.read(saved, CustomEmailConfig.class, "config");
        assertThat(config.languagesWithoutContent()).containsExactly("sv", "de");
        CustomEmailConfig complete =
                new CustomEmailConfig(Map.of("fi", finnish(), "en", english()), null, List.of("fi-FI", "en"));
        executor.validate(complete);
        assertThat(complete.languagesWithoutContent()).isEmpty();
        assertThat(new CustomEmailConfig(Map.of("fi", finnish()), null).languagesWithoutContent())
                .as("no checkout languages given: nothing to compare with")
                .isEmpty();
    }

    @Test
    void validationNamesEveryBadField() {
        CustomEmailConfig config = new CustomEmailConfig(
                Map.of(
                        "fi",
                        new LocalizedEmail(
                                "Hei\r\nBcc: evil@example.org",
                                List.of(
                                        new EmailBlock.Image(
                                                "http://cdn.example.com/x.png", "alt", "javascript:x", 900),
                                        new EmailBlock.RichText(" "),
                                        new EmailBlock.Banner(
                                                "", null, "https://shop.example.com", null, "red", "#fff"),
                                        new EmailBlock.RichText("<p>{{customer.password}}</p>"))),
                        "sv",
                        new LocalizedEmail("Bara ämne", List.of()),
                        "en",
                        new LocalizedEmail(null, List.of(new EmailBlock.RichText("<p>x</p>"))),
                        "x_y",
                        new LocalizedEmail("", List.of())),
                "Nowhere/Else");

        ValidationException e = catchThrowableOfType(ValidationException.class, () -> executor.validate(config));

        assertThat(e.fields())
                .containsExactlyInAnyOrder(
                        "timeZone",
                        "content.fi.subject",
                        "content.fi.blocks[0].url",
                        "content.fi.blocks[0].link",
                        "content.fi.blocks[0].width",
                        "content.fi.blocks[1].html",
                        "content.fi.blocks[2].title",
                        "content.fi.blocks[2].linkText",
                        "content.fi.blocks[2].backgroundColor",
                        "content.fi.blocks[3].html",
                        "content.sv.blocks",
                        "content.en.subject",
                        "content.x_y");
    }

    @Test
    void rendersTheCustomEmailToAFileAPersonCanOpen() throws Exception {
        CustomEmailConfig config = new CustomEmailConfig(Map.of("fi", finnish()), "Europe/Helsinki");

        EmailMessage message = executor.render(TestOrders.finnishEuro(), config, "msg_preview", Contexts.NOW);
        Path file = Mail.writeRendered("custom-fi.html", message.html());
        Files.writeString(file.resolveSibling("custom-fi.txt"), message.text());

        assertThat(Files.readString(file))
                .startsWith("<!DOCTYPE html>")
                .contains("<table role=\"presentation\"")
                .doesNotContain("<style", "<script", "<link", "class=");
    }
}
