package dev.postpurchase.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.testing.RecordingExecutor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL: the nodes check the shared version only once an hour here, so only {@code NOTIFY <prefix>config} can
 * make the other node see an edit before the deadline.
 */
class PostgresConfigurationAcrossNodesTest extends AbstractConfigurationAcrossNodesTest {
    private static ConfigFixture db;

    @BeforeAll
    static void openDatabase() {
        db = ConfigFixture.open(JdbcDialect.POSTGRESQL);
    }

    @AfterAll
    static void dropTables() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    ConfigFixture db() {
        return db;
    }

    @Override
    JdbcDefinitionSource.Builder tune(JdbcDefinitionSource.Builder builder) {
        return builder.refreshInterval(Duration.ofHours(1)).listenForChanges(true);
    }

    @Override
    JdbcIntegrationSettings.Builder tune(JdbcIntegrationSettings.Builder builder) {
        return builder.refreshInterval(Duration.ofHours(1)).listenForChanges(true);
    }

    @Test
    void withoutNotificationsTheVersionCheckStillBringsTheEditIn() {
        ActionExecutors executors = ActionExecutors.of(List.of(new RecordingExecutor("crm")));
        try (JdbcDefinitionSource polling = db.definitions(executors)
                .listenForChanges(false)
                .refreshInterval(Duration.ofMillis(200))
                .build()) {
            assertThat(polling.eventEnabled(ShopEventType.SURVEY_COMPLETED)).isTrue();

            editor.definitions().setEventEnabled(ShopEventType.SURVEY_COMPLETED, false);

            awaitTrue(() -> !polling.eventEnabled(ShopEventType.SURVEY_COMPLETED));
        }
    }
}
