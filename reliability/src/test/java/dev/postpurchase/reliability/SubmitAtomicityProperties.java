package dev.postpurchase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.SubmitResult;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.WebhookSecret;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * What a submit leaves in the PostgreSQL store. A bad definition (unknown type, invalid config, a config naming a
 * blocked address, malformed JSON) never refuses the paid order: its run is created FAILED with the validation reason,
 * and every good definition gets its PENDING run. A bad order (hostile JSON as a backend would receive it) is refused
 * with {@link ValidationException} before anything is written: no trigger, no run.
 */
class SubmitAtomicityProperties {
    private static HikariDataSource pool;
    private static String prefix;
    private static JdbcActionStateStore store;
    private static GuardedHttpClient http;
    private static WebhookSecret secret;
    private static final AtomicLong FAILED_RUNS = new AtomicLong();
    private static final AtomicLong GOOD_RUNS = new AtomicLong();
    private static final AtomicLong ORDERS_REFUSED = new AtomicLong();
    private static final AtomicLong ORDERS_STORED = new AtomicLong();

    @BeforeContainer
    static void open() {
        pool = Postgres.pool("submit-atomicity", 3);
        prefix = Postgres.uniquePrefix("atomic");
        store = Postgres.store(pool, prefix);
        store.migrate();
        http = GuardedHttpClient.createDefault();
        secret = WebhookSecret.generate();
        Evidence.secret(secret.encoded());
    }

    @AfterContainer
    static void close() {
        Figures.report(
                "Bad input: submit leaves no half-written state (jqwik, PostgreSQL store)",
                "runs of bad definitions created FAILED with their reason: " + FAILED_RUNS.get()
                        + "; runs of good definitions beside them, PENDING: " + GOOD_RUNS.get(),
                "hostile orders refused with ValidationException: " + ORDERS_REFUSED.get()
                        + ", each leaving 0 trigger rows and 0 run rows; valid ones stored: " + ORDERS_STORED.get());
        store.close();
        http.close();
        Postgres.dropTables(pool, prefix);
        pool.close();
    }

    private static String badConfig(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "{\"url\":\"https://169.254.169.254/latest\",\"secret\":\"" + secret.encoded() + "\"}";
            case 1 -> "{\"url\":\"http://hooks.example.com/x\",\"secret\":\"" + secret.encoded() + "\"}";
            case 2 -> "{\"url\":\"https://hooks.example.com/x\",\"secret\":\"whsec_short\"}";
            case 3 -> "{\"url\":\"https://hooks.example.com/x\r\nX: y\",\"secret\":\"" + secret.encoded() + "\"}";
            default -> Hostile.value(random, 2).toString();
        };
    }

    /** The seed whose invalid config put a NUL into the failure's reason, which PostgreSQL refused to store. */
    @Example
    void aBadDefinitionWhoseReasonHoldsANulStillGetsItsFailedRun() {
        aBadDefinitionGetsAFailedRunWithItsReasonAndTheOthersStillRun(2021763360287247461L);
    }

    @Property(tries = 150)
    void aBadDefinitionGetsAFailedRunWithItsReasonAndTheOthersStillRun(@ForAll long seed) {
        Random random = new Random(seed);
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        int count = 1 + random.nextInt(5);
        Set<String> bad = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ActionDefinition.Builder b = ActionDefinition.builder(WebhookOrderExecutor.TYPE)
                    .id("def-" + i)
                    .on(
                            i % 2 == 0 ? ActionLevel.CHECKOUT : ActionLevel.PRODUCT,
                            i % 2 == 0 ? "checkout-1" : "product-1");
            int kind = random.nextInt(4);
            if (kind == 0) {
                bad.add("def-" + i);
                String json = badConfig(random);
                if (Hostile.isJsonNull(json)) {
                    json = "[]";
                }
                b.configJson(json);
            } else if (kind == 1 && random.nextInt(4) == 0) {
                bad.add("def-" + i);
                b = ActionDefinition.builder("no-such-type")
                        .id("def-" + i)
                        .checkout("checkout-1")
                        .configJson("{}");
            } else {
                b.config(WebhookConfig.of("https://hooks.example.com/orders/" + i, secret));
            }
            definitions.save(b.build());
        }
        String orderId = "atomic-" + seed;
        try (ActionPipeline pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(WebhookOrderExecutor.builder().httpClient(http).build())
                .startWorkers(false)
                .build()) {
            SubmitResult result = pipeline.submit(TestOrders.paidOrder(orderId).build());

            assertThat(result.runs()).hasSize(count);
            for (ActionRun run : pipeline.runsOfOrder(orderId)) {
                if (bad.contains(run.definitionId())) {
                    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
                    assertThat(run.lastError())
                            .startsWith("the action's definition is invalid: invalid input: ")
                            .containsAnyOf("type: ", "config");
                    Evidence.text(run.lastError());
                    FAILED_RUNS.incrementAndGet();
                } else {
                    assertThat(run.status()).isEqualTo(RunStatus.PENDING);
                    GOOD_RUNS.incrementAndGet();
                }
            }
            assertThat(pipeline.runsOfOrder(orderId)).hasSize(count);
        }
    }

    @Property(tries = 150)
    void aHostileOrderIsRefusedBeforeAnythingIsWritten(@ForAll long seed) {
        Random random = new Random(seed);
        String orderId = "hostile-" + seed;
        JsonNode order = Hostile.mutate(
                PostpurchaseJson.mapper()
                        .valueToTree(TestOrders.paidOrder(orderId).build()),
                random,
                1 + random.nextInt(3));
        ((ObjectNode) order).put("id", orderId);
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        definitions.save(ActionDefinition.builder(WebhookOrderExecutor.TYPE)
                .id("crm")
                .checkout("checkout-1")
                .config(WebhookConfig.of("https://hooks.example.com/orders", secret))
                .build());
        try (ActionPipeline pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(WebhookOrderExecutor.builder().httpClient(http).build())
                .startWorkers(false)
                .build()) {
            Order parsed;
            try {
                parsed = PostpurchaseJson.read(order.toString(), Order.class, "order");
            } catch (ValidationException e) {
                Evidence.exception(e);
                ORDERS_REFUSED.incrementAndGet();
                assertThat(Postgres.count(
                                pool,
                                "SELECT COUNT(*) FROM " + prefix + "trigger WHERE trigger_id = '" + orderId + "'"))
                        .isZero();
                assertThat(Postgres.count(
                                pool, "SELECT COUNT(*) FROM " + prefix + "run WHERE trigger_id = '" + orderId + "'"))
                        .isZero();
                return;
            }
            pipeline.submit(parsed);
            ORDERS_STORED.incrementAndGet();
            assertThat(pipeline.progressOfOrder(parsed.id()).total()).isLessThanOrEqualTo(1);
        }
    }
}
