package dev.postpurchase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.email.EmailReceiptExecutor;
import dev.postpurchase.email.SmtpMailer;
import dev.postpurchase.email.SmtpSecurity;
import dev.postpurchase.testing.TestOrders;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The receipt email run by a pipeline against SMTP servers that are down (closed port), refuse service (421, 554
 * greetings) or drop the connection in the middle of the message: each run retries or fails as its policy ({@code
 * fixed(1 ms, 2)}, three attempts) and the server's reply say.
 */
class SmtpFaultsTest {
    private static final List<String> FIGURES = new ArrayList<>();

    private static ActionRun runReceipt(int port, String orderId) throws InterruptedException {
        try (SmtpMailer mailer = SmtpMailer.builder()
                .host("127.0.0.1")
                .port(port)
                .security(SmtpSecurity.NONE)
                .from("shop@example.com", "Shop")
                .localHostName("localhost")
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(3))
                .build()) {
            InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
            definitions.save(
                    EmailReceiptExecutor.definitionForNewCheckout("checkout-1").withEnabled(true));
            try (ActionPipeline pipeline = ActionPipeline.builder()
                    .store(ActionStateStore.inMemory())
                    .definitions(definitions)
                    .executor(EmailReceiptExecutor.builder()
                            .transport(mailer)
                            .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(1), 2))
                            .build())
                    .pollInterval(Duration.ofMillis(20))
                    .build()) {
                pipeline.submit(TestOrders.paidOrder(orderId).build());
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (true) {
                    ActionRun run = pipeline.runsOfOrder(orderId).get(0);
                    if (run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.FAILED) {
                        Evidence.text(run.lastError());
                        Evidence.text(run.result());
                        FIGURES.add(orderId + ": " + run.status() + " after " + run.totalAttempts() + " attempt(s)"
                                + (run.lastError() == null ? "" : " — " + run.lastError()));
                        return run;
                    }
                    assertThat(System.nanoTime()).as("run terminal within 60 s").isLessThan(deadline);
                    Thread.sleep(10);
                }
            }
        }
    }

    @AfterAll
    static void report() {
        Figures.report(
                "SMTP faults (receipt email through a pipeline, policy fixed(1 ms, 2) = 3 attempts)",
                FIGURES.toArray(String[]::new));
    }

    @Test
    void aServerThatIsDownIsRetriedThenFails() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        ActionRun run = runReceipt(closedPort, "smtp-down");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.totalAttempts()).isEqualTo(3);
        assertThat(run.lastError()).contains("could not connect");
    }

    @Test
    void aServerAnswering421IsRetriedThenFails() throws Exception {
        try (SmtpStub stub = new SmtpStub(SmtpStub.Mode.REFUSE_421, 0)) {
            ActionRun run = runReceipt(stub.port(), "smtp-421");
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.totalAttempts()).isEqualTo(3);
            assertThat(run.lastError()).contains("421");
            assertThat(stub.connections()).isEqualTo(3);
        }
    }

    @Test
    void aServerAnswering554FailsAtOnceWithItsReply() throws Exception {
        try (SmtpStub stub = new SmtpStub(SmtpStub.Mode.REFUSE_554, 0)) {
            ActionRun run = runReceipt(stub.port(), "smtp-554");
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.totalAttempts()).isEqualTo(1);
            assertThat(run.lastError()).contains("554");
        }
    }

    @Test
    void aConnectionDroppedMidMessageIsRetriedAndTheNextAttemptDelivers() throws Exception {
        try (SmtpStub stub = new SmtpStub(SmtpStub.Mode.DROP_MID_MESSAGE, 1)) {
            ActionRun run = runReceipt(stub.port(), "smtp-drop-once");
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.totalAttempts()).isEqualTo(2);
            assertThat(stub.accepted()).isEqualTo(1);
        }
        try (SmtpStub stub = new SmtpStub(SmtpStub.Mode.DROP_MID_MESSAGE, Integer.MAX_VALUE)) {
            ActionRun run = runReceipt(stub.port(), "smtp-drop-always");
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.totalAttempts()).isEqualTo(3);
            assertThat(stub.accepted()).isZero();
        }
    }
}
