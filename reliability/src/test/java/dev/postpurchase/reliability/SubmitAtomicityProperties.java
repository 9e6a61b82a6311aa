package dev.postpurchase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.SubmitResult;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.WebhookActionExecutor;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookSecret;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A submit that meets a bad definition (unknown type, invalid config, a config naming a blocked address, malformed
 * JSON) throws {@link ValidationException} and leaves the PostgreSQL store exactly as it was: no trigger, no run.
 * With only good definitions the order gets one run per definition.
 */
class SubmitAtomicityProperties {
    private static HikariDataSource pool;
    private static String prefix;
    private static JdbcActionStateStore store;
    private static GuardedHttpClient http;
    private static WebhookSecret secret;
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final AtomicLong CREATED = new AtomicLong();

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
                "submits refused with ValidationException: " + REFUSED.get()
                        + ", each leaving 0 trigger rows and 0 run rows for its order",
                "submits with only valid definitions: " + CREATED.get() + ", each with exactly one run per definition");
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

    @Property(tries = 150)
    void aSubmitWithABadDefinitionStoresNothing(@ForAll long seed) {
        Random random = new Random(seed);
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        int count = 1 + random.nextInt(5);
        boolean anyBad = false;
        for (int i = 0; i < count; i++) {
            ActionDefinition.Builder b = ActionDefinition.builder(WebhookActionExecutor.TYPE)
                    .id("def-" + i)
                    .on(
                            i % 2 == 0 ? ActionLevel.CHECKOUT : ActionLevel.PRODUCT,
                            i % 2 == 0 ? "checkout-1" : "product-1");
            int kind = random.nextInt(4);
            if (kind == 0) {
                anyBad = true;
                String json = badConfig(random);
                if (Hostile.isJsonNull(json)) {
                    json = "[]";
                }
                b.configJson(json);
            } else if (kind == 1 && random.nextInt(4) == 0) {
                anyBad = true;
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
                .executor(new WebhookActionExecutor(http))
                .startWorkers(false)
                .build()) {
            try {
                SubmitResult result =
                        pipeline.submit(TestOrders.paidOrder(orderId).build());
                assertThat(anyBad).as("a bad definition was accepted").isFalse();
                assertThat(result.runs()).hasSize(count);
                CREATED.incrementAndGet();
            } catch (ValidationException e) {
                assertThat(anyBad)
                        .as("a good set of definitions was refused: " + e.getMessage())
                        .isTrue();
                assertThat(e.fields()).allMatch(f -> f.startsWith("definitions["));
                Evidence.exception(e);
                REFUSED.incrementAndGet();
                assertThat(Postgres.count(
                                pool,
                                "SELECT COUNT(*) FROM " + prefix + "trigger WHERE trigger_id = '" + orderId + "'"))
                        .isZero();
                assertThat(Postgres.count(
                                pool, "SELECT COUNT(*) FROM " + prefix + "run WHERE trigger_id = '" + orderId + "'"))
                        .isZero();
            }
        }
        List<String> ids = Postgres.strings(
                pool, "SELECT DISTINCT trigger_id FROM " + prefix + "run WHERE trigger_id = '" + orderId + "'");
        assertThat(ids.isEmpty()).isEqualTo(anyBad);
    }
}
