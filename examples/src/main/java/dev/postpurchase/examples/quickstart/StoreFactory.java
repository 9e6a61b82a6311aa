package dev.postpurchase.examples.quickstart;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.spi.SecretCodec;
import dev.postpurchase.examples.local.DemoConfigKey;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDefinitionSource;
import dev.postpurchase.jdbc.JdbcIntegrationSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;

/**
 * Opens the quick start's database: an H2 file by default, or any JDBC URL (PostgreSQL, MariaDB). The runs and the
 * merchant's configuration live in it under the table prefix {@code quickstart_}.
 */
final class StoreFactory {
    static final String PREFIX = "quickstart_";

    private StoreFactory() {}

    /** Where to keep state. */
    record Settings(@Nullable String jdbcUrl, @Nullable String user, @Nullable String password) {
        static Settings parse(String[] args) {
            String url = null, user = null, password = null;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--jdbc-url" -> url = value;
                    case "--jdbc-user" -> user = value;
                    case "--jdbc-password" -> password = value;
                    default -> throw new ValidationException(
                            "arguments",
                            "unknown argument " + args[i] + "; use --jdbc-url, --jdbc-user, --jdbc-password");
                }
                if (value == null) {
                    throw new ValidationException("arguments", args[i] + " needs a value");
                }
                i++;
            }
            return new Settings(url, user, password);
        }
    }

    /** An open database: the run store, and the configuration stores built on demand; closes the pool. */
    record OpenStore(
            JdbcActionStateStore store, DataSource dataSource, String description, @Nullable HikariDataSource pool)
            implements AutoCloseable {

        /** The merchant's definitions, subscriptions and switches, validated against {@code executors}. */
        JdbcDefinitionSource definitions(ActionExecutors executors, SecretCodec codec) {
            return JdbcDefinitionSource.builder()
                    .dataSource(dataSource)
                    .tablePrefix(PREFIX)
                    .executors(executors)
                    .secretCodec(codec)
                    .build();
        }

        /** The merchant's integration settings. */
        JdbcIntegrationSettings integrations(SecretCodec codec) {
            return JdbcIntegrationSettings.builder()
                    .dataSource(dataSource)
                    .tablePrefix(PREFIX)
                    .secretCodec(codec)
                    .build();
        }

        @Override
        public void close() {
            store.close();
            if (pool != null) {
                pool.close();
            }
        }
    }

    static OpenStore open(Settings settings) throws Exception {
        DataSource dataSource;
        HikariDataSource pool = null;
        String description;
        if (settings.jdbcUrl() == null) {
            Path dir = Path.of("target", "quickstart");
            Files.createDirectories(dir);
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:file:" + dir.toAbsolutePath().resolve("postpurchase") + ";DB_CLOSE_DELAY=-1");
            h2.setUser("sa");
            dataSource = h2;
            description = "embedded H2 in " + dir;
        } else {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(settings.jdbcUrl());
            if (settings.user() != null) {
                config.setUsername(settings.user());
            }
            if (settings.password() != null) {
                config.setPassword(settings.password());
            }
            config.setMaximumPoolSize(10); // 4 workers, submits, and one listening connection per store
            pool = new HikariDataSource(config);
            dataSource = pool;
            description = settings.jdbcUrl().replaceAll("//[^/@]*@", "//***@");
        }
        JdbcActionStateStore store = JdbcActionStateStore.builder()
                .dataSource(dataSource)
                .secretCodec(DemoConfigKey.codec()) // run snapshots hold the definitions' secrets too
                .tablePrefix(PREFIX)
                .build();
        store.migrate(); // the runs' tables and the configuration's
        return new OpenStore(store, dataSource, description, pool);
    }
}
