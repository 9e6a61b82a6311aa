package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionStateStore;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The executors run by a real pipeline with the in-memory store, end to end to an SMTP server. */
class EmailPipelineTest {
    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
            .withPerMethodLifecycle(true);

    private SmtpMailer mailer;
    private ActionPipeline pipeline;
    private InMemoryDefinitionSource definitions;

    private void start(int smtpPort) {
        mailer = SmtpMailer.builder()
                .host("127.0.0.1")
                .port(smtpPort)
                .security(SmtpSecurity.NONE)
                .from("kauppa@example.fi", "Esimerkkikauppa")
                .localHostName("localhost")
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        EmailReceiptExecutor receipt =
                EmailReceiptExecutor.builder().transport(mailer).build();
        EmailCustomExecutor custom =
                EmailCustomExecutor.builder().transport(mailer).build();
        definitions = new InMemoryDefinitionSource();
        pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(receipt)
                .executor(custom)
                .workers(2)
                .pollInterval(Duration.ofMillis(50))
                .build();
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (mailer != null) {
            mailer.close();
        }
    }

    private ActionRun runOf(String orderId, String definitionId) {
        return pipeline.runsOfOrder(orderId).stream()
                .filter(r -> r.definitionId().equals(definitionId))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aPaidOrderGetsItsReceiptAndCustomEmailAndASkipIsRecordedAsSucceeded() throws Exception {
        start(greenMail.getSmtp().getPort());
        definitions.save(EmailReceiptExecutor.definitionForNewCheckout("chk-1").withEnabled(true));
        definitions.save(ActionDefinition.builder(EmailCustomExecutor.TYPE)
                .id("welcome")
                .product("prod-course")
                .config(new CustomEmailConfig(Map.of("fi", EmailCustomExecutorTest.finnish()), null))
                .build());
        definitions.save(ActionDefinition.builder(EmailCustomExecutor.TYPE)
                .id("german-only")
                .product("prod-ebook")
                .config(new CustomEmailConfig(Map.of("de", EmailCustomExecutorTest.english()), null))
                .build());
        Order order = TestOrders.finnishEuro();

        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(20))).isTrue();

        assertThat(pipeline.runsOfOrder(order.id())).hasSize(3).allMatch(r -> r.status() == RunStatus.SUCCEEDED);
        assertThat(runOf(order.id(), "receipt-email-chk-1").result()).startsWith("receipt sent as <msg_");
        assertThat(runOf(order.id(), "welcome").result()).endsWith(" in fi");
        ActionRun skipped = runOf(order.id(), "german-only");
        assertThat(skipped.skipReason())
                .isEqualTo("no content for the order's language 'fi' nor the checkout's first language 'fi';"
                        + " email not sent");
        assertThat(pipeline.progressOfOrder(order.id()).completed()).isTrue();
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2);
        assertThat(List.of(received[0].getSubject(), received[1].getSubject()))
                .containsExactlyInAnyOrder("Kuitti tilauksestasi ORD-1001", "Tervetuloa kurssille, Anna!");
    }

    @Test
    void aReceiptResentByAnAcknowledgedReRunIsANewMessageSoProvidersDoNotDropIt() throws Exception {
        start(greenMail.getSmtp().getPort());
        definitions.save(EmailReceiptExecutor.definitionForNewCheckout("chk-1").withEnabled(true));
        Order order = TestOrders.finnishEuro();
        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(20))).isTrue();
        String runId = runOf(order.id(), "receipt-email-chk-1").id();

        pipeline.rerun(runId, RerunOptions.defaults().acknowledgeSucceeded(true));
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(20))).isTrue();

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2);
        assertThat(received[1].getMessageID())
                .as("a deliberate resend carries a Message-ID of its own")
                .isNotEqualTo(received[0].getMessageID());
        ActionRun resent = pipeline.run(runId).orElseThrow();
        assertThat(resent.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(received[1].getMessageID()).contains(resent.idempotencyKey());
        assertThat(resent.result()).contains(resent.idempotencyKey());
    }

    @Test
    void theReceiptAddedToANewCheckoutSendsNothingUntilEnabled() {
        start(greenMail.getSmtp().getPort());
        definitions.save(EmailReceiptExecutor.definitionForNewCheckout("chk-1"));

        pipeline.submit(TestOrders.finnishEuro());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(20))).isTrue();

        assertThat(pipeline.runsOfOrder("ORD-1001")).isEmpty();
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void anSmtpServerThatIsDownLeavesTheRunAwaitingARetry() {
        start(Mail.closedPort());
        definitions.save(EmailReceiptExecutor.definitionForNewCheckout("chk-1").withEnabled(true));

        pipeline.submit(TestOrders.finnishEuro());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(20))).isTrue();

        ActionRun run = runOf("ORD-1001", "receipt-email-chk-1");
        assertThat(run.status()).isEqualTo(RunStatus.PENDING);
        assertThat(run.awaitingRetry()).isTrue();
        assertThat(run.lastError()).startsWith("could not connect to SMTP server 127.0.0.1:");
        assertThat(run.nextAttemptAt()).isAfter(run.updatedAt().plusSeconds(40));
    }

    @Test
    void aPermanentlyRejectedRecipientFailsTheRunWithTheServersReply() throws Exception {
        try (TinySmtpServer server =
                new TinySmtpServer().rcptReply("550 5.1.1 <anna.virtanen@example.fi>: Recipient address rejected")) {
            start(server.port());
            definitions.save(
                    EmailReceiptExecutor.definitionForNewCheckout("chk-1").withEnabled(true));

            pipeline.submit(TestOrders.finnishEuro());
            assertThat(pipeline.awaitIdle(Duration.ofSeconds(20))).isTrue();

            ActionRun run = runOf("ORD-1001", "receipt-email-chk-1");
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.attempts()).isEqualTo(1);
            assertThat(run.lastStatusCode()).isEqualTo(550);
            assertThat(run.lastError()).endsWith("550 5.1.1 <anna.virtanen@example.fi>: Recipient address rejected");
        }
    }
}
