package dev.postpurchase.examples.integrator;

import dev.postpurchase.admin.AdminPage;
import dev.postpurchase.admin.AdminPrincipal;
import dev.postpurchase.admin.AdminServer;
import dev.postpurchase.admin.TestOutcome;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.examples.local.LocalDatabase;
import dev.postpurchase.examples.local.LocalPeers;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDefinitionSource;
import dev.postpurchase.jdbc.JdbcIntegrationSettings;
import dev.postpurchase.kajabi.KajabiWebhookToken;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.WebhookSecret;
import dev.postpurchase.webhook.WebhookTestResult;
import dev.postpurchase.webhook.fulfillment.FulfillmentTestResult;
import dev.postpurchase.webhook.fulfillment.FulfillmentWebhookConfig;
import dev.postpurchase.webhook.fulfillment.WebhookFulfillmentExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * Starts the integrator app: the {@link ShopBackend} with the <b>real</b> executors of every action, against local
 * stand-ins of every outside system ({@link LocalPeers}), on an embedded H2 database in {@code target/integrator} or
 * on the database given with {@code --jdbc-url}. Prints the URLs and a few {@code curl} lines to try, then serves
 * until stopped (Ctrl-C).
 *
 * <p>Arguments: {@code [--jdbc-url URL [--jdbc-user U] [--jdbc-password P]] [--port N]}; the port defaults to 8080,
 * or a free one when 8080 is taken. {@code ./integrator} at the repository root builds and runs it.
 */
public final class IntegratorApp implements AutoCloseable {
    /** The table prefix of the SDK's tables (the shop's own table is {@code shop_orders}). */
    static final String PREFIX = "integrator_";

    private final LocalPeers peers;
    private final LocalDatabase database;
    private final JdbcActionStateStore store;
    private final JdbcIntegrationSettings integrations;
    private final JdbcDefinitionSource definitions;
    private final ActionPipeline pipeline;
    private final ShopBackend backend;
    private final AdminServer admin;
    private final KajabiWebhookToken kajabiToken = KajabiWebhookToken.generate();
    private final WebhookSecret incomingSecret = WebhookSecret.generate();
    /** The sample order's id, new at every start so that the first {@code curl} always records a new order. */
    private final String sampleOrderId = "order-" + Long.toString(System.currentTimeMillis(), 36);

    private IntegratorApp(LocalDatabase.Settings settings, int port, Duration kajabiMaxWait) {
        peers = LocalPeers.start();
        database = LocalDatabase.open(settings, Path.of("target", "integrator"), 12);
        store = JdbcActionStateStore.builder()
                .dataSource(database.dataSource())
                .secretCodec(LocalDatabase.configCodec()) // run snapshots hold the definitions' secrets too
                .tablePrefix(PREFIX)
                .build();
        store.migrate();
        integrations = JdbcIntegrationSettings.builder()
                .dataSource(database.dataSource())
                .tablePrefix(PREFIX)
                .secretCodec(LocalDatabase.configCodec())
                .build();
        List<ActionExecutor<?>> executors = peers.executors(integrations);
        definitions = JdbcDefinitionSource.builder()
                .dataSource(database.dataSource())
                .tablePrefix(PREFIX)
                .executors(ActionExecutors.of(executors))
                .secretCodec(LocalDatabase.configCodec())
                .build();
        DemoMerchant.configure(definitions, integrations, peers);
        ShopOrders orders = ShopOrders.create(database.dataSource());
        pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executors(executors)
                .listener(orders) // the shop's order becomes COMPLETED when the pipeline reports it
                .workers(4)
                .pollInterval(Duration.ofMillis(200))
                .build();
        ShopBackend.Builder backendBuilder = ShopBackend.builder()
                .dataSource(database.dataSource())
                .store(store)
                .pipeline(pipeline)
                .definitions(definitions)
                .orders(orders)
                .kajabiToken(kajabiToken)
                .kajabiMaxWait(kajabiMaxWait)
                .kajabiExpiryInterval(kajabiMaxWait.dividedBy(2))
                .incomingVerifier(StandardWebhookVerifier.of(incomingSecret));
        backend = startOn(backendBuilder, port);
        admin = AdminServer.start(adminPage(executors), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /**
     * The staff page, standalone on its own loopback port. A real shop plugs in its staff login; this demo, which
     * listens on loopback only, treats whoever reaches it from this machine as the operator {@code local-staff}.
     */
    private AdminPage adminPage(List<ActionExecutor<?>> executors) {
        AdminPage.Builder page = AdminPage.builder()
                .pipeline(pipeline)
                .definitions(definitions)
                .integrations(integrations)
                .authorizer(request -> request.remoteAddress().startsWith("127.")
                                || request.remoteAddress().equals("0:0:0:0:0:0:0:1")
                        ? Optional.of(AdminPrincipal.operator("local-staff"))
                        : Optional.empty());
        for (ActionExecutor<?> executor : executors) {
            if (executor instanceof WebhookFulfillmentExecutor fulfillment) {
                page.tester(fulfillment.type(), definition -> {
                    FulfillmentTestResult r =
                            fulfillment.testWebhook(definition.config(FulfillmentWebhookConfig.class));
                    return new TestOutcome(
                            r.metContract(),
                            r.status(),
                            r.bodyPrefix(),
                            r.elapsed().toMillis(),
                            r.problem());
                });
            } else if (executor instanceof WebhookOrderExecutor webhook) {
                page.tester(webhook.type(), definition -> {
                    WebhookTestResult r = webhook.testWebhook(definition.config(WebhookConfig.class));
                    return new TestOutcome(
                            r.delivered(),
                            r.status(),
                            r.bodyPrefix(),
                            r.elapsed().toMillis(),
                            r.problem());
                });
            }
        }
        return page.build();
    }

    /** The admin page's address. */
    public String adminUrl() {
        return admin.url();
    }

    private static ShopBackend startOn(ShopBackend.Builder builder, int port) {
        try {
            return builder.port(port).start();
        } catch (UncheckedIOException e) {
            if (port != 0 && e.getCause() instanceof BindException) {
                return builder.port(0).start();
            }
            throw e;
        }
    }

    /**
     * Starts everything.
     *
     * @param port the backend's loopback port; 0 for a free one; a taken port falls back to a free one
     * @param kajabiMaxWait how long an incomplete Kajabi transaction waits for its other offers
     */
    public static IntegratorApp start(LocalDatabase.Settings settings, int port, Duration kajabiMaxWait) {
        return new IntegratorApp(settings, port, kajabiMaxWait);
    }

    public static void main(String[] args) throws Exception {
        LocalDatabase.Settings settings;
        int port;
        try {
            Arguments parsed = Arguments.parse(args);
            settings = parsed.database();
            port = parsed.port();
        } catch (ValidationException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        IntegratorApp app = start(settings, port, Duration.ofMinutes(2));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }));
        app.printWelcome(System.out);
        stopped.await();
    }

    /** Prints where everything listens and what to try. */
    public void printWelcome(PrintStream out) throws IOException {
        Path orderFile = sampleOrderFile();
        String id = sampleOrderId;
        String base = backend.baseUrl();
        out.println("Postpurchase integrator app — store: " + database.description());
        out.println("Merchant configuration saved in the same database, " + LocalDatabase.configKeyDescription() + ".");
        out.println();
        out.println("Shop backend            " + base);
        out.println("Admin page (staff)      " + admin.url());
        out.println("Kajabi webhooks         " + base + "/kajabi/webhooks/"
                + kajabiToken.secret().reveal());
        out.println("Stand-ins (loopback)    " + peers.standInBaseUrl()
                + "  Kajabi, Systeme.io, CRM, licence server, postback channel");
        out.println(
                "SMTP (in-process)       127.0.0.1:" + peers.smtp().getSmtp().getPort());
        out.println("What the stand-ins got  " + peers.standInBaseUrl() + "/inspect");
        out.println();
        out.println("Try:");
        out.println("  # a paid order (course, licence): receipt, CRM webhook, Kajabi grant, Systeme.io tag, licence");
        out.println("  curl -s -X POST --data @" + orderFile + " " + base + "/orders");
        out.println("  curl -s " + base + "/orders/" + id + "/actions");
        out.println("  curl -s " + base + "/orders/" + id + "            # PAID, then COMPLETED");
        out.println("  # a refund: revokes Kajabi and the tag, notifies the postback channel");
        out.println("  curl -s -X POST -d '{}' " + base + "/orders/" + id + "/refunds");
        out.println("  curl -s " + base + "/events/refund-" + id + "-full/actions");
        out.println("  # staff: re-run one action, stale runs to force, \"Test webhook\" of the licence server");
        out.println("  curl -s -X POST -d '{\"acknowledgeSucceeded\":true}' " + base + "/runs/<run id>/rerun");
        out.println("  curl -s " + base + "/runs/stale");
        out.println("  curl -s " + base + "/products/" + DemoMerchant.LICENCE + "/actions");
        out.println("  curl -s -X POST " + base + "/definitions/licence-keys/test-webhook");
        out.println("  curl -s " + peers.standInBaseUrl() + "/inspect");
        out.println();
        out.println("Ctrl-C stops it.");
        out.flush();
    }

    /** Writes the sample order, as {@code POST /orders} takes it, to {@code target/integrator/order.json}. */
    public Path sampleOrderFile() throws IOException {
        Path file = Path.of("target", "integrator", "order.json").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(
                file, PostpurchaseJson.write(DemoMerchant.sampleOrder(sampleOrderId)), StandardCharsets.UTF_8);
        return file;
    }

    /** The id of the order in {@link #sampleOrderFile()}. */
    public String sampleOrderId() {
        return sampleOrderId;
    }

    public ShopBackend backend() {
        return backend;
    }

    public LocalPeers peers() {
        return peers;
    }

    public ActionPipeline pipeline() {
        return pipeline;
    }

    /** The secret in Kajabi's webhook URL. */
    public Secret kajabiToken() {
        return kajabiToken.secret();
    }

    @Override
    public void close() {
        admin.close();
        backend.close();
        pipeline.close();
        definitions.close();
        integrations.close();
        store.close();
        database.close();
        peers.close();
    }

    /** The command line. */
    record Arguments(LocalDatabase.Settings database, int port) {
        static Arguments parse(String[] args) {
            String url = null, user = null, password = null;
            int port = 8080;
            for (int i = 0; i < args.length; i++) {
                @Nullable String value = i + 1 < args.length ? args[i + 1] : null;
                if (!List.of("--jdbc-url", "--jdbc-user", "--jdbc-password", "--port")
                        .contains(args[i])) {
                    throw new ValidationException(
                            "arguments",
                            "unknown argument " + args[i] + "; use --jdbc-url, --jdbc-user, --jdbc-password, --port");
                }
                if (value == null) {
                    throw new ValidationException("arguments", args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--jdbc-url" -> url = value;
                    case "--jdbc-user" -> user = value;
                    case "--jdbc-password" -> password = value;
                    case "--port" -> {
                        try {
                            port = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            throw new ValidationException("--port", "must be a number");
                        }
                    }
                    default -> throw new ValidationException(
                            "arguments",
                            "unknown argument " + args[i] + "; use --jdbc-url, --jdbc-user, --jdbc-password, --port");
                }
                i++;
            }
            return new Arguments(new LocalDatabase.Settings(url, user, password), port);
        }
    }
}
