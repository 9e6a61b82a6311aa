package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.postpurchase.core.spi.DeliveryException;
import dev.postpurchase.core.spi.FulfilledUnit;
import dev.postpurchase.core.spi.FulfillmentDelivery;
import dev.postpurchase.core.spi.FulfillmentMessage;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FulfillmentEmailDeliveryTest {
    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
            .withPerMethodLifecycle(true);

    private static SmtpMailer mailer(int port) {
        return SmtpMailer.builder()
                .host("127.0.0.1")
                .port(port)
                .security(SmtpSecurity.NONE)
                .from("kauppa@example.fi", "Esimerkkikauppa")
                .localHostName("localhost")
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    static FulfillmentMessage message() {
        return new FulfillmentMessage(
                "run-1",
                "msg_0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                TestOrders.finnishEuro(),
                "<p>Aktivoi lisenssi kohdassa <b>Asetukset → Lisenssi</b>.</p><script>steal()</script>"
                        + "<img src=x onerror=alert(1)><p><a href=\"https://shop.example.com/ohje\">Ohje</a></p>",
                List.of(
                        new FulfilledUnit("prod-app", "Pro App", 1, 1, "ABCD-1234-\\*EF*\n"),
                        new FulfilledUnit("prod-app", "Pro App", 2, 1, "WXYZ-9876_<b>"),
                        new FulfilledUnit(
                                "prod-guide",
                                "Opas",
                                1,
                                3,
                                "Lataa: `https://dl.example.com/?id=1&t=2` \\_heti\\_ <b>ei lihavoitu</b>\n"
                                        + "Toinen rivi *tähdillä*")));
    }

    @Test
    void emailsTheInstructionsAndEveryUnitsResponseCopyableExactly() throws Exception {
        try (SmtpMailer mailer = mailer(greenMail.getSmtp().getPort())) {
            FulfillmentDelivery delivery = FulfillmentEmailDelivery.create(mailer);

            delivery.deliver(message());
        }

        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Toimitus tilaukseesi ORD-1001");
        assertThat(received.getMessageID())
                .isEqualTo("<msg_0f1e2d3c4b5a69788796a5b4c3d2e1f0.fulfillment@postpurchase.invalid>");
        String html = Mail.html(received);
        assertThat(html)
                .contains("Aktivoi lisenssi kohdassa <b>Asetukset → Lisenssi</b>.</p>")
                .contains("href=\"https://shop.example.com/ohje\"")
                .doesNotContain("<script", "steal()", "<img", "onerror")
                .contains("Pro App – Tuote 1</h2>")
                .contains("Pro App – Tuote 2</h2>")
                .contains("user-select:all;color:#111827;\">ABCD-1234-*EF*</pre>")
                .contains("user-select:all;color:#111827;\">WXYZ-9876_&lt;b&gt;</pre>")
                .contains("Kopioi koodi täsmälleen sellaisenaan.")
                .contains("Opas × 3</h2>")
                .contains(">https://dl.example.com/?id=1&amp;t=2</code> _heti_ &lt;b&gt;ei lihavoitu&lt;/b&gt;<br>")
                .contains("Toinen rivi *tähdillä*");
        String text = Mail.text(received);
        assertThat(text)
                .contains("Ohjeet\r\n\r\nAktivoi lisenssi kohdassa Asetukset → Lisenssi.")
                .contains("Pro App – Tuote 1\r\n\r\nABCD-1234-*EF*\r\n")
                .contains("WXYZ-9876_<b>\r\n")
                .contains(
                        "Lataa: https://dl.example.com/?id=1&t=2 _heti_ <b>ei lihavoitu</b>\r\nToinen rivi *tähdillä*");
    }

    @Test
    void instructionsAreSanitisedWithTheRichTextPolicyWhenTheEmailIsBuilt() {
        // The webhook module keeps them as the merchant wrote them, also in a hand-written snapshot.
        try (SmtpMailer mailer = mailer(Mail.closedPort())) {
            FulfillmentEmailDelivery delivery = FulfillmentEmailDelivery.create(mailer);

            assertThat(delivery.render(withInstructions("<b onclick=\"steal()\">Key</b><script>alert(1)</script>"))
                            .html())
                    .contains("<b>Key</b>")
                    .doesNotContain("onclick", "steal()", "<script", "alert(1)");
            assertThat(delivery.render(withInstructions("<img src=x onerror=alert(1)><i>hi</i>"))
                            .html())
                    .contains("<i>hi</i>")
                    .doesNotContain("<img src=x", "onerror", "alert(1)");
            EmailMessage email =
                    delivery.render(withInstructions("<p>Activate with <b>Settings</b> <script>alert(1)</script></p>"));
            assertThat(email.html())
                    .contains("<p style=\"margin:0 0 16px 0;\">Activate with <b>Settings</b> </p>")
                    .doesNotContain("<script", "alert(1)");
            assertThat(email.text()).contains("Activate with Settings").doesNotContain("alert(1)");
        }
    }

    private static FulfillmentMessage withInstructions(String instructions) {
        FulfillmentMessage m = message();
        return new FulfillmentMessage(m.runId(), m.idempotencyKey(), m.order(), instructions, m.units());
    }

    @Test
    void aCustomerWithoutANameIsGreetedWithoutOne() throws Exception {
        FulfillmentMessage original = message();
        FulfillmentMessage nameless = new FulfillmentMessage(
                original.runId(),
                original.idempotencyKey(),
                TestOrders.finnishEuroOrder()
                        .customer(dev.postpurchase.core.order.Customer.builder("matti@example.com")
                                .build())
                        .build(),
                original.instructionsHtml(),
                original.units());
        try (SmtpMailer mailer = mailer(greenMail.getSmtp().getPort())) {
            FulfillmentEmailDelivery.create(mailer).deliver(nameless);
        }

        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(Mail.text(received)).contains("\r\nHei,\r\n").doesNotContain("Hei matti@example.com");
    }

    @Test
    void aSecondDeliveryOfTheSameRunHasTheSameMessageId() throws Exception {
        try (SmtpMailer mailer = mailer(greenMail.getSmtp().getPort())) {
            FulfillmentEmailDelivery delivery = FulfillmentEmailDelivery.builder()
                    .transport(mailer)
                    .messageIdDomain("shop.example.com")
                    .build();
            delivery.deliver(message());
            delivery.deliver(message());
        }

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2);
        assertThat(received[0].getMessageID())
                .isEqualTo(received[1].getMessageID())
                .isEqualTo("<msg_0f1e2d3c4b5a69788796a5b4c3d2e1f0.fulfillment@shop.example.com>");
    }

    @Test
    void aServerThatIsDownIsARetryableDeliveryFailure() {
        try (SmtpMailer mailer = mailer(Mail.closedPort())) {
            DeliveryException e =
                    catchThrowableOfType(DeliveryException.class, () -> FulfillmentEmailDelivery.create(mailer)
                            .deliver(message()));

            assertThat(e.retryable()).isTrue();
        }
    }

    @Test
    void aRejectedRecipientIsAPermanentDeliveryFailureWithTheReply() throws Exception {
        try (TinySmtpServer server = new TinySmtpServer().rcptReply("550 5.7.1 Mailbox disabled");
                SmtpMailer mailer = mailer(server.port())) {
            DeliveryException e =
                    catchThrowableOfType(DeliveryException.class, () -> FulfillmentEmailDelivery.create(mailer)
                            .deliver(message()));

            assertThat(e.retryable()).isFalse();
            assertThat(e).isInstanceOf(EmailDeliveryException.class).hasMessageEndingWith("550 5.7.1 Mailbox disabled");
        }
    }

    @Test
    void rendersTheFulfillmentEmailToAFileAPersonCanOpen() throws Exception {
        try (SmtpMailer mailer = mailer(greenMail.getSmtp().getPort())) {
            EmailMessage email = FulfillmentEmailDelivery.create(mailer).render(message());
            Path file = Mail.writeRendered("fulfillment-fi.html", email.html());
            Files.writeString(file.resolveSibling("fulfillment-fi.txt"), email.text());

            assertThat(Files.readString(file)).doesNotContain("<style", "<script", "<link", "class=");
        }
    }
}
