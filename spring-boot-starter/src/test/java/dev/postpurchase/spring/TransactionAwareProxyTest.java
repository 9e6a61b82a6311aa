package dev.postpurchase.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.testing.RecordingExecutor;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application's DataSource is a {@link TransactionAwareDataSourceProxy} (the db-scheduler trap: a library that
 * commits "its own" connection from it commits the caller's transaction early). The store takes its own connections
 * from the target and joins the caller's transaction: a rollback after the submit leaves nothing, also of the shop's
 * row written before it.
 */
@SpringBootTest(classes = TransactionAwareProxyTest.ProxyApp.class, properties = "postpurchase.poll-interval=30s")
class TransactionAwareProxyTest {
    static final String PREFIX = "sbsp_";
    static final String SHOP_TABLE = "sbsp_shop_order";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.reset(registry, PREFIX, SHOP_TABLE);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ProxyApp {
        @Bean(destroyMethod = "close")
        HikariDataSource pool() {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(TestPostgres.URL);
            pool.setUsername(TestPostgres.USER);
            pool.setPassword(TestPostgres.PASSWORD);
            pool.setMaximumPoolSize(8);
            return pool;
        }

        @Bean
        @org.springframework.context.annotation.Primary
        TransactionAwareDataSourceProxy dataSource(HikariDataSource pool) {
            return new TransactionAwareDataSourceProxy(pool);
        }

        @Bean
        PlatformTransactionManager transactionManager(TransactionAwareDataSourceProxy dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        JdbcTemplate jdbcTemplate(TransactionAwareDataSourceProxy dataSource) {
            return new JdbcTemplate(dataSource);
        }

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
    TransactionTemplate transactions;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource pool;

    @Test
    void aRollbackAfterTheSubmitUndoesTheShopsRowAndTheRunsBehindTheProxy() {
        if (definitions.findDefinition("receipt-1").isEmpty()) {
            definitions.createDefinition(
                    TestDefinitions.definition("receipt-1", "receipt", ActionLevel.CHECKOUT, "checkout-1"));
        }
        Order order = TestOrders.paidOrder("sbsp-" + UUID.randomUUID()).build();

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
                    jdbc.update("INSERT INTO " + SHOP_TABLE + " (id) VALUES (?)", order.id());
                    pipeline.submit(order);
                    // reads and writes of the store on this thread go through the caller's connection too
                    assertThat(pipeline.runsOfOrder(order.id())).hasSize(1);
                    throw new IllegalStateException("rolled back");
                }))
                .hasMessage("rolled back");

        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM " + SHOP_TABLE + " WHERE id = ?", Integer.class, order.id()))
                .isZero();
        assertThat(pipeline.runsOfOrder(order.id())).isEmpty();
    }

    @Test
    void theStoreTakesItsOwnConnectionsFromTheTargetOfTheProxy() {
        assertThat(store).isInstanceOf(SpringTransactionStore.class);
        assertThat(SpringTransactionStore.unwrap(pool)).isInstanceOf(HikariDataSource.class);
        Order order = TestOrders.paidOrder("sbsp-" + UUID.randomUUID()).build();
        if (definitions.findDefinition("receipt-1").isEmpty()) {
            definitions.createDefinition(
                    TestDefinitions.definition("receipt-1", "receipt", ActionLevel.CHECKOUT, "checkout-1"));
        }

        transactions.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO " + SHOP_TABLE + " (id) VALUES (?)", order.id());
            pipeline.submit(order);
        });

        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.progressOfOrder(order.id()).completed()).isTrue();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM " + SHOP_TABLE + " WHERE id = ?", Integer.class, order.id()))
                .isOne();
    }
}
