package dev.postpurchase.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The quick start passes all its checks, on the embedded H2 store and on the local PostgreSQL server. */
class QuickStartTest {
    private static final String PG_URL =
            System.getenv().getOrDefault("PP_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = System.getenv().getOrDefault("PP_TEST_PG_USER", "postgres");
    private static final String PG_PASSWORD = System.getenv().getOrDefault("PP_TEST_PG_PASSWORD", "");

    @Test
    void theQuickStartPassesEveryCheckOnTheEmbeddedStore() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        int failed = new QuickStart(new PrintStream(buffer, true, StandardCharsets.UTF_8))
                .run(StoreFactory.Settings.parse(new String[0]));

        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(failed).as(output).isZero();
        assertThat(output)
                .contains("All checks passed.")
                .contains("ACTION")
                .contains("use latest template")
                .contains("[ok]     the merchant's setup survived the restart")
                .contains("[ok]     the configuration is encrypted at rest")
                .doesNotContain("[FAILED]");
    }

    @Test
    void runningTheQuickStartAgainFindsTheConfigurationTheFirstRunSaved() throws Exception {
        new QuickStart(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(StoreFactory.Settings.parse(new String[0]));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        int failed = new QuickStart(new PrintStream(buffer, true, StandardCharsets.UTF_8))
                .run(StoreFactory.Settings.parse(new String[0]));

        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(failed).as(output).isZero();
        assertThat(output)
                .contains("Found the configuration of a previous run in the database (8 definitions, 1"
                        + " subscription(s)); starting afresh.");
    }

    @Test
    void theQuickStartPassesEveryCheckOnPostgresql() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        String[] args = {"--jdbc-url", PG_URL, "--jdbc-user", PG_USER, "--jdbc-password", PG_PASSWORD};

        int failed;
        try {
            failed = new QuickStart(new PrintStream(buffer, true, StandardCharsets.UTF_8))
                    .run(StoreFactory.Settings.parse(args));
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "PostgreSQL at " + PG_URL + " is not usable; set PP_TEST_PG_URL, PP_TEST_PG_USER"
                            + " and PP_TEST_PG_PASSWORD to a reachable server",
                    e);
        }

        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(failed).as(output).isZero();
        assertThat(output).contains("store: jdbc:postgresql://");
    }
}
