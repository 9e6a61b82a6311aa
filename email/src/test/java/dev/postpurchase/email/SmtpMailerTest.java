package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmtpMailerTest {
    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
            .withPerMethodLifecycle(true);

    private static SmtpMailer.Builder mailerFor(int port) {
        return SmtpMailer.builder()
                .host("127.0.0.1")
                .port(port)
                .security(SmtpSecurity.NONE)
                .from("shop@example.com", "Esimerkkikauppa Öy")
                .replyTo("support@example.com", "Support")
                .localHostName("localhost")
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5));
    }

    private static EmailMessage message(String to, String id) {
        return EmailMessage.builder()
                .to(to, "Änna Virtanen")
                .subject("Kuitti tilauksestasi – 19,99 €")
                .text("Hei Änna,\nkiitos!")
                .html("<p>Hei &Auml;nna,</p>")
                .messageId(MessageIds.forRun(id, "receipt"))
                .header("Auto-Submitted", "auto-generated")
                .date(Instant.parse("2026-03-05T10:15:30Z"))
                .build();
    }

    @Test
    void sendsMultipartAlternativeInUtf8WithTheGivenMessageIdAndSender() throws Exception {
        try (SmtpMailer mailer = mailerFor(greenMail.getSmtp().getPort()).build()) {
            SentEmail sent = mailer.send(message("anna@example.fi", "msg_abc123"));

            assertThat(sent.messageId()).isEqualTo("<msg_abc123.receipt@postpurchase.invalid>");
            assertThat(sent.recipients()).containsExactly("anna@example.fi");
        }
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getMessageID()).isEqualTo("<msg_abc123.receipt@postpurchase.invalid>");
        assertThat(received.getSubject()).isEqualTo("Kuitti tilauksestasi – 19,99 €");
        InternetAddress from = (InternetAddress) received.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("shop@example.com");
        assertThat(from.getPersonal()).isEqualTo("Esimerkkikauppa Öy");
        InternetAddress to = (InternetAddress) received.getRecipients(Message.RecipientType.TO)[0];
        assertThat(to.getAddress()).isEqualTo("anna@example.fi");
        assertThat(to.getPersonal()).isEqualTo("Änna Virtanen");
        assertThat(((InternetAddress) received.getReplyTo()[0]).getAddress()).isEqualTo("support@example.com");
        assertThat(received.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        assertThat(received.getSentDate().toInstant()).isEqualTo(Instant.parse("2026-03-05T10:15:30Z"));
        assertThat(received.getContentType()).startsWith("multipart/alternative");
        var parts = Mail.alternative(received);
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).isEqualToIgnoringCase("text/plain; charset=UTF-8");
        assertThat(parts.getBodyPart(1).getContentType()).isEqualToIgnoringCase("text/html; charset=UTF-8");
        assertThat(Mail.text(received)).isEqualTo("Hei Änna,\r\nkiitos!");
        assertThat(Mail.html(received)).isEqualTo("<p>Hei &Auml;nna,</p>");
    }

    @Test
    void reusesOneConnectionForSeveralMessages() {
        try (SmtpMailer mailer = mailerFor(greenMail.getSmtp().getPort()).build()) {
            for (int i = 0; i < 5; i++) {
                mailer.send(message("customer" + i + "@example.com", "msg_" + i));
            }
            assertThat(mailer.connectionsOpened()).isEqualTo(1);
            assertThat(mailer.messagesSent()).isEqualTo(5);
        }
        assertThat(greenMail.getReceivedMessages()).hasSize(5);
    }

    @Test
    void sendsFromManyThreadsAtOnceWithoutLosingOrMixingMessages() throws Exception {
        int threads = 8;
        int perThread = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<String, String> expectedIds = new ConcurrentHashMap<>();
        try (SmtpMailer mailer = mailerFor(greenMail.getSmtp().getPort()).build()) {
            List<Future<SentEmail>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    String id = "msg_t" + t + "_" + i;
                    String to = "t" + t + "i" + i + "@example.com";
                    expectedIds.put(to, MessageIds.forRun(id, "receipt"));
                    futures.add(pool.submit(() -> mailer.send(message(to, id))));
                }
            }
            for (Future<SentEmail> future : futures) {
                future.get();
            }
            assertThat(mailer.connectionsOpened()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(threads * perThread);
        for (MimeMessage m : received) {
            String to = ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress();
            assertThat(m.getMessageID()).isEqualTo(expectedIds.get(to));
            assertThat(Mail.text(m)).isEqualTo("Hei Änna,\r\nkiitos!");
        }
    }

    @Test
    void aServerThatIsDownIsARetryableFailure() {
        try (SmtpMailer mailer = mailerFor(Mail.closedPort()).build()) {
            EmailDeliveryException e = catchThrowableOfType(
                    EmailDeliveryException.class, () -> mailer.send(message("anna@example.fi", "msg_down")));

            assertThat(e.retryable()).isTrue();
            assertThat(e.replyCode()).isNull();
            assertThat(e.getMessage()).startsWith("could not connect to SMTP server 127.0.0.1:");
        }
    }

    @Test
    void aPermanentlyRejectedRecipientFailsForGoodWithTheServersReply() throws Exception {
        try (TinySmtpServer server =
                        new TinySmtpServer().rcptReply("550 5.1.1 <nobody@example.com>: Recipient address rejected");
                SmtpMailer mailer = mailerFor(server.port()).build()) {
            EmailDeliveryException e = catchThrowableOfType(
                    EmailDeliveryException.class, () -> mailer.send(message("nobody@example.com", "msg_rej")));

            assertThat(e.retryable()).isFalse();
            assertThat(e.replyCode()).isEqualTo(550);
            assertThat(e.serverReply()).isEqualTo("550 5.1.1 <nobody@example.com>: Recipient address rejected");
            assertThat(e.getMessage())
                    .startsWith("recipient rejected by the SMTP server 127.0.0.1:")
                    .endsWith("550 5.1.1 <nobody@example.com>: Recipient address rejected");
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void aTemporarilyDeferredRecipientIsRetryableWithItsReplyCode() throws Exception {
        try (TinySmtpServer server = new TinySmtpServer().rcptReply("451 4.7.1 Greylisted, try again later");
                SmtpMailer mailer = mailerFor(server.port()).build()) {
            EmailDeliveryException e = catchThrowableOfType(
                    EmailDeliveryException.class, () -> mailer.send(message("anna@example.fi", "msg_grey")));

            assertThat(e.retryable()).isTrue();
            assertThat(e.replyCode()).isEqualTo(451);
            assertThat(e.getMessage()).contains("451 4.7.1 Greylisted");
        }
    }

    @Test
    void aServerRefusingTheConnectionWith421IsRetryable() throws Exception {
        try (TinySmtpServer server = new TinySmtpServer().greeting("421 4.3.2 Service not available, closing");
                SmtpMailer mailer = mailerFor(server.port()).build()) {
            EmailDeliveryException e = catchThrowableOfType(
                    EmailDeliveryException.class, () -> mailer.send(message("anna@example.fi", "msg_421")));

            assertThat(e.retryable()).isTrue();
            assertThat(e.replyCode()).isEqualTo(421);
        }
    }

    @Test
    void reconnectsWhenTheServerDropsTheConnectionBetweenMessages() throws Exception {
        try (TinySmtpServer server = new TinySmtpServer().closeAfterMessage(true);
                SmtpMailer mailer = mailerFor(server.port()).build()) {
            for (int i = 0; i < 3; i++) {
                mailer.send(message("anna@example.fi", "msg_drop" + i));
            }

            assertThat(server.messages()).hasSize(3);
            assertThat(mailer.connectionsOpened()).isEqualTo(3);
            assertThat(server.connections()).isEqualTo(3);
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAsARetryableFailure() throws Exception {
        try (TinySmtpServer server = new TinySmtpServer().silent(true);
                SmtpMailer mailer = mailerFor(server.port())
                        .readTimeout(Duration.ofMillis(300))
                        .build()) {
            EmailDeliveryException e = catchThrowableOfType(
                    EmailDeliveryException.class, () -> mailer.send(message("anna@example.fi", "msg_slow")));

            assertThat(e.retryable()).isTrue();
            assertThat(e.timedOut()).isTrue();
        }
    }

    @Test
    void starttlsModeNeverSendsInClearTextToAServerWithoutStarttls() {
        try (SmtpMailer mailer = mailerFor(greenMail.getSmtp().getPort())
                .security(SmtpSecurity.STARTTLS)
                .build()) {
            EmailDeliveryException e = catchThrowableOfType(
                    EmailDeliveryException.class, () -> mailer.send(message("anna@example.fi", "msg_tls")));

            assertThat(e.retryable()).isFalse(); // only a configuration change fixes it (issue 19)
            assertThat(e.getMessage()).contains("STARTTLS");
        }
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void refusesToSendCredentialsInClearTextToARemoteHost() {
        assertThatThrownBy(() -> SmtpMailer.builder()
                        .host("smtp.example.com")
                        .security(SmtpSecurity.NONE)
                        .credentials("shop", Secret.of("hunter2"))
                        .from("shop@example.com", null)
                        .build())
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).fields()).containsExactly("security"))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void theBuilderNamesEveryBadSetting() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> SmtpMailer.builder()
                .host("smtp.example.com\r\nRCPT TO:<x@y.z>")
                .port(70000)
                .from("not-an-address", "Shop\nBcc: x@y.z")
                .replyTo("a@b", null)
                .readTimeout(Duration.ZERO)
                .build());

        assertThat(e.fields())
                .containsExactlyInAnyOrder(
                        "host", "port", "from.address", "from.name", "replyTo.address", "readTimeout");
    }

    @Test
    void theDefaultPortFollowsTheSecurityMode() {
        assertThat(SmtpSecurity.NONE.defaultPort()).isEqualTo(25);
        assertThat(SmtpSecurity.STARTTLS.defaultPort()).isEqualTo(587);
        assertThat(SmtpSecurity.SSL.defaultPort()).isEqualTo(465);
        SmtpMailer mailer = SmtpMailer.builder()
                .host("smtp.example.com")
                .security(SmtpSecurity.SSL)
                .credentials("shop@example.com", Secret.of("s3cret-pass"))
                .from("shop@example.com", null)
                .build();
        assertThat(mailer.toString())
                .isEqualTo("SmtpMailer[smtp.example.com:465, SSL, user=shop@example.com, from=shop@example.com]")
                .doesNotContain("s3cret-pass");
    }
}
