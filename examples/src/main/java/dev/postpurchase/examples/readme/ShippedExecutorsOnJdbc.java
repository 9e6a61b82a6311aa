package dev.postpurchase.examples.readme;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.spi.SecretCodec;
import dev.postpurchase.email.EmailCustomExecutor;
import dev.postpurchase.email.EmailReceiptExecutor;
import dev.postpurchase.email.FulfillmentEmailDelivery;
import dev.postpurchase.email.SmtpMailer;
import dev.postpurchase.email.SmtpSecurity;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDefinitionSource;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.fulfillment.WebhookFulfillmentExecutor;
import dev.postpurchase.webhook.postback.WebhookPostbackExecutor;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;

/**
 * The README's "Wiring the shipped executors" sample: receipt, custom email, order webhook, postback and fulfillment
 * webhook on the JDBC store, as one node of several on one PostgreSQL database runs them.
 */
public final class ShippedExecutorsOnJdbc {
    private ShippedExecutorsOnJdbc() {}

    /**
     * Builds the node on {@code dataSource}, migrates the schema and returns the pipeline's registered types; with
     * {@code startWorkers} false nothing is executed (a node that only submits, or a test).
     */
    public static List<String> run(
            DataSource dataSource, String configKeyBase64, String smtpHost, int smtpPort, boolean startWorkers) {
        // README:start shipped-executors
        SecretCodec codec = AesGcmSecretCodec.builder() // the key comes from your secret manager
                .currentKey("2026-03", Base64.getDecoder().decode(configKeyBase64))
                .build();
        SmtpMailer mailer = SmtpMailer.builder()
                .host(smtpHost)
                .port(smtpPort)
                .security(SmtpSecurity.STARTTLS)
                .from("orders@shop.example.com", "Example Shop")
                .messageIdDomain("shop.example.com") // once, for every executor that sends through this mailer
                .build();
        GuardedHttpClient http = GuardedHttpClient.createDefault(); // https only, SSRF-filtered
        ActionExecutors executors = ActionExecutors.of(List.of( // registered once, used by both below
                EmailReceiptExecutor.builder().transport(mailer).build(),
                EmailCustomExecutor.builder().transport(mailer).build(),
                WebhookOrderExecutor.builder().httpClient(http).build(),
                WebhookPostbackExecutor.builder().httpClient(http).build(),
                WebhookFulfillmentExecutor.builder()
                        .httpClient(http)
                        .delivery(FulfillmentEmailDelivery.create(mailer))
                        .build()));
        JdbcActionStateStore store = JdbcActionStateStore.builder()
                .dataSource(dataSource) // a pool in production; the same database on every node
                .secretCodec(codec)
                .build();
        JdbcDefinitionSource definitions = JdbcDefinitionSource.builder()
                .dataSource(dataSource)
                .executors(executors) // every save is validated against them
                .secretCodec(codec)
                .build();
        definitions.migrate(); // once per deployment: the runs' tables and the configuration's
        try (ActionPipeline pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executors(executors)
                .startWorkers(startWorkers) // false: a node (or a check) that only submits or validates
                .build()) {
            // pipeline.submit(order) in the shop's "order paid" path; in its transaction with
            // pipeline.submit(connection, order)
            // README:end
            return List.copyOf(pipeline.executors().types());
        } finally {
            definitions.close();
            mailer.close(); // the pipeline closes neither the mailer nor the HTTP client
            http.close();
        }
    }
}
