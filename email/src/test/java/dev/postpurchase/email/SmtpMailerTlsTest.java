package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.postpurchase.core.Secret;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Implicit TLS against GreenMail's SMTPS server with a certificate for {@code localhost} generated for the test: the
 * mailer trusts it through {@link SmtpMailer.Builder#sslSocketFactory} and still checks the host name.
 */
class SmtpMailerTlsTest {
    private static final String STORE_PASSWORD = "changeit";
    private static GreenMail greenMail;
    private static SSLSocketFactory trusting;

    @BeforeAll
    static void startSmtps() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "tls"));
        Path keystore = dir.resolve("localhost.p12");
        Files.deleteIfExists(keystore);
        Process keytool = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "greenmail",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost",
                        "-keystore",
                        keystore.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        STORE_PASSWORD,
                        "-keypass",
                        STORE_PASSWORD))
                .redirectErrorStream(true)
                .start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();

        System.setProperty(
                "greenmail.tls.keystore.file", keystore.toAbsolutePath().toString());
        System.setProperty("greenmail.tls.keystore.password", STORE_PASSWORD);
        System.setProperty("greenmail.tls.key.password", STORE_PASSWORD);
        ServerSetup smtps = ServerSetupTest.SMTPS.dynamicPort();
        greenMail = new GreenMail(smtps);
        greenMail.setUser("shop@example.com", "shop", "correct horse");
        greenMail.start();

        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trust.load(in, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        trusting = context.getSocketFactory();
    }

    @AfterAll
    static void stopSmtps() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    private static SmtpMailer.Builder mailer(String host, String password) {
        return SmtpMailer.builder()
                .host(host)
                .port(greenMail.getSmtps().getPort())
                .security(SmtpSecurity.SSL)
                .credentials("shop", Secret.of(password))
                .from("shop@example.com", "Shop")
                .localHostName("localhost")
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5));
    }

    private static EmailMessage message(String id) {
        return EmailMessage.builder()
                .to("anna@example.fi")
                .subject("Over TLS")
                .text("text")
                .html("<p>html</p>")
                .messageId(MessageIds.forRun(id, "receipt"))
                .build();
    }

    @Test
    void sendsOverImplicitTlsWithAuthentication() throws Exception {
        greenMail.purgeEmailFromAllMailboxes();
        try (SmtpMailer mailer =
                mailer("localhost", "correct horse").sslSocketFactory(trusting).build()) {
            mailer.send(message("msg_tls1"));
            mailer.send(message("msg_tls2"));
            assertThat(mailer.connectionsOpened()).isEqualTo(1);
        }

        assertThat(greenMail.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Over TLS");
    }

    @Test
    void anUntrustedCertificateIsRefused() {
        try (SmtpMailer mailer = mailer("localhost", "correct horse").build()) {
            EmailDeliveryException e =
                    catchThrowableOfType(EmailDeliveryException.class, () -> mailer.send(message("msg_untrusted")));

            assertThat(e.getMessage())
                    .startsWith("TLS with SMTP server localhost:")
                    .endsWith("unable to find valid certification path to requested target");
            assertThat(e.retryable()).isFalse(); // only a configuration change fixes it (issue 19)
        }
    }

    @Test
    void aCertificateForAnotherHostNameIsRefusedEvenWhenTrusted() {
        try (SmtpMailer mailer =
                mailer("127.0.0.1", "correct horse").sslSocketFactory(trusting).build()) {
            EmailDeliveryException e =
                    catchThrowableOfType(EmailDeliveryException.class, () -> mailer.send(message("msg_wronghost")));

            assertThat(e.getMessage())
                    .isEqualTo("TLS with SMTP server 127.0.0.1:"
                            + greenMail.getSmtps().getPort()
                            + " failed: No subject alternative names matching IP address 127.0.0.1 found");
            assertThat(e.retryable()).isFalse();
            assertThat(mailer.messagesSent()).isZero();
        }
    }

    @Test
    void aWrongPasswordIsAPermanentFailureThatNeverShowsThePassword() {
        try (SmtpMailer mailer = mailer("localhost", "wrong-battery-staple")
                .sslSocketFactory(trusting)
                .build()) {
            EmailDeliveryException e =
                    catchThrowableOfType(EmailDeliveryException.class, () -> mailer.send(message("msg_badauth")));

            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).startsWith("SMTP authentication failed").doesNotContain("wrong-battery-staple");
            assertThat(mailer.toString()).doesNotContain("wrong-battery-staple");
        }
    }
}
