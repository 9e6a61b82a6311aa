package dev.postpurchase.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.jdbc.JdbcDialect;
import dev.postpurchase.jdbc.JdbcSchema;
import dev.postpurchase.testing.RecordingExecutor;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The README's "Flyway instead of migrate-on-start" recipe, run as written: with {@code postpurchase.jdbc.migrate=false}
 * the recipe's own Flyway installs our scripts (history in {@code pp_flyway_history}) and its {@code afterMigrate.sql}
 * fills {@code pp_schema_version}, the pipeline's schema check passes and orders run; the shop's own migrations still
 * run through Spring Boot's Flyway into its own history; a second start applies nothing and works. Each run of the
 * class starts from a fresh PostgreSQL schema of its own, so the recipe's fixed {@code pp_} prefix collides with no
 * other test.
 */
class FlywayRecipeTest {
    static final String SCHEMA = "sbfw_recipe";
    static final List<String> OUR_VERSIONS = JdbcSchema.migrations(JdbcDialect.POSTGRESQL, "pp_").stream()
            .map(migration -> Integer.toString(migration.version()))
            .toList();

    /** A shop that keeps its own tables with Spring Boot's Flyway and adds the README's recipe for ours. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(PostpurchaseFlywayRecipe.class)
    static class ShopApp {
        @Bean
        RecordingExecutor receipt() {
            return new RecordingExecutor("receipt");
        }
    }

    /** The bean of the README, character for character ({@link #theReadmeShowsExactlyTheRecipeThisTestRuns}). */
    @Configuration(proxyBeanMethods = false)
    static class PostpurchaseFlywayRecipe {
        // README:begin
        @Bean(initMethod = "migrate", defaultCandidate = false) // the starter's store waits for it
        Flyway postpurchaseFlyway(DataSource dataSource) {
            return Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:dev/postpurchase/jdbc/postgresql", "classpath:db/postpurchase")
                    .table("pp_flyway_history")
                    .placeholders(Map.of("prefix", "pp_"))
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load();
        }
        // README:end
    }

    @BeforeAll
    static void freshSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
            // the shop had tables before it took up Postpurchase: neither Flyway finds an empty schema
            s.execute("CREATE TABLE " + SCHEMA + ".shop_customer (id VARCHAR(100) PRIMARY KEY)");
        }
    }

    @Test
    void theRecipeInstallsOurScriptsSoThePipelineStartsAndRunsOrdersAndASecondStartAppliesNothing() throws Exception {
        List<Map<String, Object>> historyAfterFirstStart;
        try (ConfigurableApplicationContext app = start()) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList(
                            "SELECT version FROM pp_flyway_history WHERE success AND type = 'SQL'"
                                    + " ORDER BY installed_rank",
                            String.class))
                    .containsExactlyElementsOf(OUR_VERSIONS);
            assertThat(jdbc.queryForList("SELECT version FROM pp_schema_version ORDER BY version", String.class))
                    .containsExactlyElementsOf(OUR_VERSIONS);
            historyAfterFirstStart = history(jdbc);

            assertAnOrderRuns(app);
        }

        try (ConfigurableApplicationContext app = start()) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            assertThat(history(jdbc)).isEqualTo(historyAfterFirstStart);
            Flyway recipe = app.getBean("postpurchaseFlyway", Flyway.class);
            assertThat(recipe.info().pending()).isEmpty();
            assertThat(jdbc.queryForList("SELECT version FROM pp_schema_version ORDER BY version", String.class))
                    .containsExactlyElementsOf(OUR_VERSIONS);

            assertAnOrderRuns(app);
        }
    }

    @Test
    void springBootCreatesTheStarterStoreOnlyAfterTheRecipeAndTheShopsFlywayHaveMigrated() {
        try (ConfigurableApplicationContext app = start()) {
            // Boot's database initializer detection, not the order of bean definitions, puts the store after both
            assertThat(app.getBeanFactory()
                            .getBeanDefinition("postpurchaseStore")
                            .getDependsOn())
                    .contains("postpurchaseFlyway", "flywayInitializer");
        }
    }

    @Test
    void theShopsOwnFlywayStillMigratesItsScriptsIntoItsOwnHistoryBesideTheRecipe() {
        try (ConfigurableApplicationContext app = start()) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            assertThat(app.getBean(Flyway.class)).isNotSameAs(app.getBean("postpurchaseFlyway"));
            assertThat(jdbc.queryForList(
                            "SELECT version FROM flyway_schema_history WHERE success AND type = 'SQL'", String.class))
                    .containsExactly("1");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM shop_order", Integer.class))
                    .isZero();
            assertThat(app.getBean(ActionPipeline.class).executors().types()).containsExactly("receipt");
        }
    }

    @Test
    void theReadmeShowsExactlyTheRecipeThisTestRuns() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String source = Files.readString(Path.of("src/test/java/dev/postpurchase/spring/FlywayRecipeTest.java"));
        String bean = source.substring(
                        source.indexOf("// README:begin\n") + "// README:begin\n".length(),
                        source.indexOf("        // README:end"))
                .replaceAll("(?m)^ {8}", "");
        String afterMigrate;
        try (InputStream in = FlywayRecipeTest.class.getResourceAsStream("/db/postpurchase/afterMigrate.sql")) {
            assertThat(in).isNotNull();
            afterMigrate = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(bean).startsWith("@Bean(initMethod = \"migrate\"").endsWith("}\n");
        assertThat(readme).contains("```java\n" + bean + "```\n");
        assertThat(readme).contains("```sql\n" + afterMigrate + "```\n");
        assertThat(readme).contains("postpurchase.jdbc.migrate=false");
    }

    private static ConfigurableApplicationContext start() {
        String url = TestPostgres.URL + (TestPostgres.URL.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
        // command-line arguments, so they win over the test class path's application.properties
        return new SpringApplicationBuilder(ShopApp.class)
                .web(WebApplicationType.NONE)
                .run(
                        "--spring.datasource.url=" + url,
                        "--spring.datasource.username=" + TestPostgres.USER,
                        "--spring.datasource.password=" + TestPostgres.PASSWORD,
                        "--spring.flyway.enabled=true",
                        "--spring.flyway.locations=classpath:db/shop",
                        "--spring.flyway.baseline-on-migrate=true",
                        "--spring.flyway.baseline-version=0",
                        "--postpurchase.secret-key=" + TestPostgres.SECRET_KEY,
                        "--postpurchase.jdbc.migrate=false",
                        "--postpurchase.workers=2");
    }

    private static List<Map<String, Object>> history(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT installed_rank, version, description, type, checksum, installed_on, success"
                + " FROM pp_flyway_history ORDER BY installed_rank");
    }

    private static void assertAnOrderRuns(ConfigurableApplicationContext app) throws InterruptedException {
        DefinitionStore definitions = app.getBean(DefinitionStore.class);
        if (definitions.findDefinition("receipt-1").isEmpty()) {
            definitions.createDefinition(
                    TestDefinitions.definition("receipt-1", "receipt", ActionLevel.CHECKOUT, "checkout-1"));
        }
        ActionPipeline pipeline = app.getBean(ActionPipeline.class);
        RecordingExecutor receipt = app.getBean(RecordingExecutor.class);
        Order order = TestOrders.paidOrder("sbfw-" + UUID.randomUUID()).build();

        assertThat(pipeline.submit(order).runs()).hasSize(1);

        assertThat(receipt.awaitExecutions(1, Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.progressOfOrder(order.id()).completed()).isTrue();
    }
}
