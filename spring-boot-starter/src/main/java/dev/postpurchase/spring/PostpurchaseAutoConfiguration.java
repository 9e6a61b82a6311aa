package dev.postpurchase.spring;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.DefinitionSource;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.core.spi.PipelineObserver;
import dev.postpurchase.core.spi.SecretCodec;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDefinitionSource;
import dev.postpurchase.jdbc.JdbcIntegrationSettings;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Auto-configuration of Postpurchase on the application's {@code DataSource}: the JDBC store (tables created or
 * upgraded on start unless {@code postpurchase.jdbc.migrate=false}) joined to Spring-managed transactions ({@link
 * SpringTransactionStore}), the merchant's configuration in the same database ({@link JdbcDefinitionSource}, {@link
 * JdbcIntegrationSettings}), and a started {@link ActionPipeline} with every {@link ActionExecutor}, {@link
 * PipelineListener} and {@link PipelineObserver} bean, stopped gracefully with the application ({@link
 * PipelineLifecycle}). Each bean backs off when the application declares its own of that type.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "dev.postpurchase.spring.PostpurchaseMetricsAutoConfiguration",
            "dev.postpurchase.spring.PostpurchaseTracingAutoConfiguration"
        })
@ConditionalOnClass({ActionPipeline.class, JdbcActionStateStore.class, DataSourceUtils.class})
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(prefix = "postpurchase", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PostpurchaseProperties.class)
public class PostpurchaseAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(PostpurchaseAutoConfiguration.class);

    /** The codec of {@code postpurchase.secret-key} (and its previous keys). */
    @Bean
    @ConditionalOnMissingBean
    public SecretCodec postpurchaseSecretCodec(PostpurchaseProperties properties) {
        String key = properties.getSecretKey();
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("Postpurchase needs postpurchase.secret-key (Base64 of 32 random bytes,"
                    + " for example from `openssl rand -base64 32`, kept in your secret manager): it encrypts the"
                    + " merchants' secrets and run snapshots at rest. Or declare a SecretCodec bean.");
        }
        AesGcmSecretCodec.Builder codec =
                AesGcmSecretCodec.builder().currentKey(properties.getSecretKeyId(), decode("secret-key", key));
        for (Map.Entry<String, String> previous :
                properties.getPreviousSecretKeys().entrySet()) {
            codec.previousKey(
                    previous.getKey(), decode("previous-secret-keys." + previous.getKey(), previous.getValue()));
        }
        return codec.build();
    }

    private static byte[] decode(String property, String value) {
        try {
            return Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("postpurchase." + property + " is not valid Base64", e);
        }
    }

    /**
     * The JDBC store on the application's DataSource, joined to Spring transactions; migrated on start unless {@code
     * postpurchase.jdbc.migrate=false}. Created after the application's database initializers (Flyway, Liquibase,
     * {@code schema.sql}), so a Flyway that installs our scripts runs first.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(ActionStateStore.class)
    @DependsOnDatabaseInitialization
    public SpringTransactionStore postpurchaseStore(
            DataSource dataSource, SecretCodec codec, PostpurchaseProperties properties) {
        JdbcActionStateStore store = JdbcActionStateStore.builder()
                .dataSource(SpringTransactionStore.unwrap(dataSource))
                .secretCodec(codec)
                .tablePrefix(properties.getJdbc().getTablePrefix())
                .listenForWork(properties.getJdbc().isListen())
                .build();
        if (properties.getJdbc().isMigrate()) {
            int version = store.migrate();
            LOG.info("Postpurchase tables {}* at schema version {}", store.tablePrefix(), version);
        }
        return new SpringTransactionStore(store, dataSource);
    }

    /** Every {@link ActionExecutor} bean, in bean order. */
    @Bean
    @ConditionalOnMissingBean
    public ActionExecutors postpurchaseExecutors(ObjectProvider<ActionExecutor<?>> executors) {
        return ActionExecutors.of(executors.orderedStream().toList());
    }

    /** The merchant's definitions, subscriptions and switches in the application's database. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DefinitionSource.class)
    public JdbcDefinitionSource postpurchaseDefinitions(
            DataSource dataSource,
            SecretCodec codec,
            ActionExecutors executors,
            ActionStateStore store,
            PostpurchaseProperties properties) {
        // the store parameter orders this after the store's migration, which installs these tables too
        return JdbcDefinitionSource.builder()
                .dataSource(SpringTransactionStore.unwrap(dataSource))
                .secretCodec(codec)
                .executors(executors)
                .tablePrefix(properties.getJdbc().getTablePrefix())
                .listenForChanges(properties.getJdbc().isListen())
                .build();
    }

    /** The merchant's integration settings (Kajabi, Systeme.io) in the application's database. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(IntegrationSettings.class)
    public JdbcIntegrationSettings postpurchaseIntegrationSettings(
            DataSource dataSource, SecretCodec codec, ActionStateStore store, PostpurchaseProperties properties) {
        return JdbcIntegrationSettings.builder()
                .dataSource(SpringTransactionStore.unwrap(dataSource))
                .secretCodec(codec)
                .tablePrefix(properties.getJdbc().getTablePrefix())
                .listenForChanges(properties.getJdbc().isListen())
                .build();
    }

    /** The started pipeline; {@link PipelineLifecycle} stops it with the application. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public ActionPipeline postpurchasePipeline(
            ActionStateStore store,
            DefinitionSource definitions,
            ActionExecutors executors,
            ObjectProvider<PipelineListener> listeners,
            ObjectProvider<PipelineObserver> observers,
            PostpurchaseProperties properties) {
        ActionPipeline.Builder builder = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executors(executors.types().stream()
                        .<ActionExecutor<?>>map(executors::require)
                        .toList())
                .workers(properties.getWorkers())
                .claimBatch(properties.getClaimBatch())
                .pollInterval(properties.getPollInterval())
                .leaseDuration(properties.getLeaseDuration())
                .shutdownDeadline(properties.getShutdownDeadline())
                .startWorkers(properties.isStartWorkers());
        if (properties.getNodeId() != null) {
            builder.nodeId(properties.getNodeId());
        }
        listeners.orderedStream().forEach(builder::listener);
        observers.orderedStream().forEach(builder::observer);
        ActionPipeline pipeline = builder.build();
        LOG.info("Postpurchase pipeline started: {}", pipeline);
        return pipeline;
    }

    /** Stops the pipeline gracefully with the application; runs retention when it is configured. */
    @Bean
    @ConditionalOnMissingBean
    public PipelineLifecycle postpurchaseLifecycle(
            ActionPipeline pipeline, ActionStateStore store, PostpurchaseProperties properties) {
        return new PipelineLifecycle(pipeline, store, properties, Clock.systemUTC());
    }
}
