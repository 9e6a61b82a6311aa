package dev.postpurchase.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcSchemaTest {

    @Test
    void everyDialectShipsEveryVersionWithThePrefixResolved() {
        for (JdbcDialect dialect : JdbcDialect.values()) {
            List<JdbcSchema.Migration> migrations = JdbcSchema.migrations(dialect, "shop_pp_");

            assertThat(migrations).extracting(JdbcSchema.Migration::version).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(migrations)
                    .extracting(JdbcSchema.Migration::description)
                    .containsExactly(
                            "init",
                            "run_target_id",
                            "trigger_open_idx",
                            "lean_hot_path",
                            "configuration",
                            "staff_queries",
                            "trigger_trace_parent",
                            "generic_plans");
            String sql = JdbcSchema.sql(dialect, "shop_pp_");
            assertThat(sql)
                    .doesNotContain("${")
                    .contains("CREATE TABLE IF NOT EXISTS shop_pp_trigger")
                    .contains("CREATE TABLE IF NOT EXISTS shop_pp_run")
                    .contains("shop_pp_run_due_idx")
                    .contains("shop_pp_run_heartbeat_idx")
                    .contains("shop_pp_run_trigger_idx")
                    .contains("ALTER TABLE shop_pp_run ADD COLUMN IF NOT EXISTS target_id")
                    .contains("shop_pp_trigger_open_idx")
                    .contains("unfinished_runs")
                    .contains("CREATE TABLE IF NOT EXISTS shop_pp_node")
                    .contains("CREATE TABLE IF NOT EXISTS shop_pp_definition")
                    .contains("CREATE TABLE IF NOT EXISTS shop_pp_subscription_definition")
                    .contains("CREATE TABLE IF NOT EXISTS shop_pp_integration")
                    .contains("CREATE TABLE IF NOT EXISTS shop_pp_config_version")
                    .contains("attempt_history")
                    .contains("shop_pp_trigger_order_idx")
                    .contains("ALTER TABLE shop_pp_trigger ADD COLUMN IF NOT EXISTS trace_parent");
        }
        assertThat(JdbcSchema.latestVersion()).isEqualTo(8);
    }

    @Test
    void postgresIndexesOnlyPendingRunsForClaiming() {
        assertThat(JdbcSchema.sql(JdbcDialect.POSTGRESQL, "pp_"))
                .contains("ON pp_run (next_attempt_at, id) WHERE status = 'PENDING'");
    }

    @Test
    void statementsAreSplitAtLineEndingSemicolonsWithoutComments() {
        List<String> statements =
                JdbcSchema.migrations(JdbcDialect.H2, "pp_").get(0).statements();

        assertThat(statements).hasSize(6);
        assertThat(statements)
                .allSatisfy(s -> assertThat(s).doesNotContain("--").doesNotEndWith(";"));
        assertThat(statements.get(0)).startsWith("CREATE TABLE IF NOT EXISTS pp_trigger (");
    }

    @Test
    void prefixesThatAreNotPlainLowercaseIdentifiersAreRejected() {
        for (String bad : new String[] {"", "1pp_", "PP_", "pp-", "pp_; DROP TABLE x", "p p", "a".repeat(31)}) {
            assertThatThrownBy(() -> JdbcSchema.sql(JdbcDialect.POSTGRESQL, bad))
                    .as(bad)
                    .isInstanceOf(ValidationException.class)
                    .satisfies(
                            e -> assertThat(((ValidationException) e).fields()).containsExactly("tablePrefix"));
        }
        assertThat(JdbcSchema.validatePrefix("pp_")).isEqualTo("pp_");
        assertThat(JdbcSchema.validatePrefix("a".repeat(30))).hasSize(30);
    }

    @Test
    void theDialectIsKnownByItsProductName() {
        assertThat(JdbcDialect.fromProductName("PostgreSQL")).contains(JdbcDialect.POSTGRESQL);
        assertThat(JdbcDialect.fromProductName("MariaDB")).contains(JdbcDialect.MARIADB);
        assertThat(JdbcDialect.fromProductName("MySQL")).contains(JdbcDialect.MARIADB);
        assertThat(JdbcDialect.fromProductName("H2")).contains(JdbcDialect.H2);
        assertThat(JdbcDialect.fromProductName("Oracle")).isEmpty();
    }

    @Test
    void theBuilderNamesEveryBadSetting() {
        assertThatThrownBy(() -> JdbcActionStateStore.builder()
                        .tablePrefix("Bad-Prefix")
                        .listenPollTimeout(java.time.Duration.ZERO)
                        .build())
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).fields())
                        .containsExactlyInAnyOrder("dataSource", "secretCodec", "tablePrefix", "listenPollTimeout"));
    }
}
