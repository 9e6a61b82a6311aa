package dev.postpurchase.examples.local;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.spi.SecretCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;

/**
 * The database an example keeps its state in: an embedded H2 file by default, or any JDBC URL (PostgreSQL,
 * MariaDB) through a connection pool. Close it to close the pool.
 *
 * @param dataSource the database
 * @param description what to print about it, with any password in the URL hidden
 */
public record LocalDatabase(DataSource dataSource, String description, @Nullable HikariDataSource pool)
        implements AutoCloseable {

    /** Where to keep state, from the command line: {@code --jdbc-url URL [--jdbc-user U] [--jdbc-password P]}. */
    public record Settings(@Nullable String jdbcUrl, @Nullable String user, @Nullable String password) {
        /** The embedded default. */
        public static Settings embedded() {
            return new Settings(null, null, null);
        }
    }

    /**
     * Opens the database: the H2 file {@code <h2Directory>/postpurchase} when {@code settings} names no JDBC URL.
     *
     * @param poolSize the pool's size for a JDBC URL: the pipeline's workers, the web requests and one listening
     *     connection
     */
    public static LocalDatabase open(Settings settings, Path h2Directory, int poolSize) {
        if (settings.jdbcUrl() == null) {
            try {
                Files.createDirectories(h2Directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:file:" + h2Directory.toAbsolutePath().resolve("postpurchase") + ";DB_CLOSE_DELAY=-1");
            h2.setUser("sa");
            return new LocalDatabase(h2, "embedded H2 in " + h2Directory, null);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(poolSize);
        HikariDataSource pool = new HikariDataSource(config);
        return new LocalDatabase(pool, settings.jdbcUrl().replaceAll("//[^/@]*@", "//***@"), pool);
    }

    /** The key that encrypts the merchant's configuration: {@code PP_CONFIG_KEY}, or a public demo key. */
    public static SecretCodec configCodec() {
        return DemoConfigKey.codec();
    }

    /** Where {@link #configCodec()}'s key came from, for an example's output. */
    public static String configKeyDescription() {
        return DemoConfigKey.describe();
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
