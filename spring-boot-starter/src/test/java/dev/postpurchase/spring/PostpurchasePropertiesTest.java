package dev.postpurchase.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.jdbc.JdbcDefinitionSource;
import dev.postpurchase.testing.RecordingExecutor;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every {@code postpurchase.*} property reaches the pipeline, the store and the lifecycle the starter builds. */
@SpringBootTest(
        classes = PostpurchasePropertiesTest.App.class,
        properties = {
            "postpurchase.workers=3",
            "postpurchase.claim-batch=7",
            "postpurchase.poll-interval=45s",
            "postpurchase.lease-duration=21s",
            "postpurchase.shutdown-deadline=12s",
            "postpurchase.node-id=node-props",
            "postpurchase.retention.keep=30d",
            "postpurchase.retention.interval=2h",
            "postpurchase.retention.batch-size=50"
        })
class PostpurchasePropertiesTest {
    static final String PREFIX = "sbpr_";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.reset(registry, PREFIX, "sbpr_shop_order");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        RecordingExecutor receipt() {
            return new RecordingExecutor("receipt");
        }
    }

    @Autowired
    ActionPipeline pipeline;

    @Autowired
    ActionStateStore store;

    @Autowired
    DefinitionStore definitions;

    @Autowired
    PostpurchaseProperties properties;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void thePipelineRunsWithTheConfiguredWorkersBatchPollLeaseAndShutdownDeadline() {
        assertThat(pipeline.workers()).isEqualTo(3);
        assertThat(pipeline.claimBatch()).isEqualTo(7);
        assertThat(pipeline.pollInterval()).isEqualTo(Duration.ofSeconds(45));
        assertThat(pipeline.leaseDuration()).isEqualTo(Duration.ofSeconds(21));
        assertThat(pipeline.heartbeatInterval()).as("a third of the lease").isEqualTo(Duration.ofSeconds(7));
        assertThat(pipeline.shutdownDeadline()).isEqualTo(Duration.ofSeconds(12));
        assertThat(pipeline.nodeId()).isEqualTo("node-props");
        assertThat(pipeline.executesRuns()).isTrue();
        assertThat(pipeline.executors().types()).containsExactly("receipt");
    }

    @Test
    void theStoreDefinitionsAndSettingsUseTheConfiguredTablePrefixAndThisNodeRecordsItsId() throws Exception {
        assertThat(store).isInstanceOf(SpringTransactionStore.class);
        assertThat(((SpringTransactionStore) store).jdbcStore().tablePrefix()).isEqualTo(PREFIX);
        assertThat(definitions).isInstanceOf(JdbcDefinitionSource.class);
        if (definitions.findDefinition("receipt-1").isEmpty()) {
            definitions.createDefinition(
                    TestDefinitions.definition("receipt-1", "receipt", ActionLevel.CHECKOUT, "checkout-1"));
        }

        pipeline.submit(TestOrders.paidOrder("props-1").build());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        // the rows are in the prefixed tables, which the migration created
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM " + PREFIX + "run WHERE trigger_id = 'props-1'", Integer.class))
                .isOne();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM " + PREFIX + "definition WHERE id = 'receipt-1'", Integer.class))
                .isOne();
        assertThat(jdbc.queryForList("SELECT node_id FROM " + PREFIX + "node", String.class))
                .contains("node-props");
        List<String> tables = jdbc.queryForList(
                "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '" + PREFIX + "%'",
                String.class);
        assertThat(tables).contains(PREFIX + "run", PREFIX + "trigger", PREFIX + "definition", PREFIX + "node");
    }

    @Test
    void retentionPropertiesAreBoundForTheLifecycle() {
        assertThat(properties.getRetention().getKeep()).isEqualTo(Duration.ofDays(30));
        assertThat(properties.getRetention().getInterval()).isEqualTo(Duration.ofHours(2));
        assertThat(properties.getRetention().getBatchSize()).isEqualTo(50);
    }
}
