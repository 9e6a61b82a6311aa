package dev.postpurchase.examples.quickstart;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;

/** Opens the quick start's store: an H2 file by default, or any JDBC URL (PostgreSQL, MariaDB). */
final class StoreFactory {
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

    /** An open store with what it needs closing. */
    record OpenStore(JdbcActionStateStore store, String description, @Nullable HikariDataSource pool)
            implements AutoCloseable {
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
            config.setMaximumPoolSize(8);
            pool = new HikariDataSource(config);
            dataSource = pool;
            description = settings.jdbcUrl().replaceAll("//[^/@]*@", "//***@");
        }
        JdbcActionStateStore store = JdbcActionStateStore.builder()
                .dataSource(dataSource)
                .tablePrefix("quickstart_")
                .build();
        store.migrate();
        return new OpenStore(store, description, pool);
    }
}
