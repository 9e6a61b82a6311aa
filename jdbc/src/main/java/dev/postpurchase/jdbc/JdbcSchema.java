package dev.postpurchase.jdbc;

import dev.postpurchase.core.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The schema of {@link JdbcActionStateStore}, shipped in the jar as versioned SQL files per dialect: {@code
 * dev/postpurchase/jdbc/<dialect>/V<n>__<description>.sql}, with {@code ${prefix}} in place of the table prefix.
 *
 * <p>Two ways to install it:
 *
 * <ul>
 *   <li>{@link JdbcActionStateStore#migrate()} applies the missing versions itself, safe from several nodes at once,
 *       and records them in {@code <prefix>schema_version}.
 *   <li>Teams that run Flyway or Liquibase copy the scripts into their own migrations instead: {@link
 *       #migrations(JdbcDialect, String)} gives each version's SQL with the prefix resolved (one Flyway file per
 *       version, same numbers), {@link #sql(JdbcDialect, String)} all of them as one script. They then never call
 *       {@code migrate()}; a later release adds new versions, never edits old ones.
 * </ul>
 *
 * <p>The tables are {@code <prefix>trigger} (one row per order or event, with its JSON payload) and {@code
 * <prefix>run} (one row per action run, with its status, version, owner, heartbeat and next due time). Limits: a
 * trigger id and a definition id at most 255 characters, an action type at most 100, a node id at most 200.
 */
public final class JdbcSchema {
    /** The prefix used when none is set. */
    public static final String DEFAULT_PREFIX = "pp_";

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,29}");
    private static final List<String> FILES = List.of(
            "V1__init",
            "V2__run_target_id",
            "V3__trigger_open_idx",
            "V4__lean_hot_path",
            "V5__configuration",
            "V6__staff_queries",
            "V7__trigger_trace_parent",
            "V8__generic_plans");
    private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__([a-z0-9_]+)");

    /**
     * One schema version.
     *
     * @param version the version number, from 1, without gaps
     * @param description what it does, as in its file name
     * @param sql the statements with the prefix resolved, each ending with {@code ;} on its line
     */
    public record Migration(int version, String description, String sql) {
        public Migration {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(sql, "sql");
        }

        /** The statements of {@link #sql()}, without comments and the trailing semicolons. */
        public List<String> statements() {
            return splitStatements(sql);
        }
    }

    private JdbcSchema() {}

    /** The newest schema version this release knows. */
    public static int latestVersion() {
        return FILES.size();
    }

    /**
     * Every schema version of {@code dialect}, oldest first, with {@code tablePrefix} resolved.
     *
     * @throws ValidationException on {@code tablePrefix} when it is not a valid prefix ({@link #validatePrefix})
     */
    public static List<Migration> migrations(JdbcDialect dialect, String tablePrefix) {
        Objects.requireNonNull(dialect, "dialect");
        validatePrefix(tablePrefix);
        List<Migration> result = new ArrayList<>(FILES.size());
        for (String file : FILES) {
            var m = FILE_NAME.matcher(file);
            if (!m.matches()) {
                throw new IllegalStateException("bad migration name " + file);
            }
            String template = load(dialect.folder() + "/" + file + ".sql");
            result.add(new Migration(
                    Integer.parseInt(m.group(1)), m.group(2), template.replace("${prefix}", tablePrefix)));
        }
        return List.copyOf(result);
    }

    /** All of {@link #migrations} as one script, for a migration tool or a DBA. */
    public static String sql(JdbcDialect dialect, String tablePrefix) {
        StringBuilder out = new StringBuilder();
        for (Migration migration : migrations(dialect, tablePrefix)) {
            out.append("-- version ")
                    .append(migration.version())
                    .append(": ")
                    .append(migration.description())
                    .append('\n')
                    .append(migration.sql())
                    .append('\n');
        }
        return out.toString();
    }

    /**
     * The statements that remove everything {@link #sql} installs for {@code tablePrefix} (tables, in an order their
     * foreign keys allow, and PostgreSQL's functions), each with {@code IF EXISTS}: for tests and for uninstalling.
     * Every run, trigger and configuration row under the prefix is lost.
     */
    public static List<String> dropStatements(JdbcDialect dialect, String tablePrefix) {
        validatePrefix(tablePrefix);
        List<String> statements = new ArrayList<>();
        for (String table : List.of(
                "subscription_definition",
                "subscription",
                "definition",
                "event_switch",
                "integration",
                "config_version",
                "run",
                "trigger",
                "node",
                "schema_version",
                "schema_lock")) {
            statements.add("DROP TABLE IF EXISTS " + tablePrefix + table);
        }
        if (dialect == JdbcDialect.POSTGRESQL) {
            for (String function : List.of(
                    "claim_due(text, text[], integer)",
                    "claim_stale(text, bigint, text[], integer)",
                    "record_outcomes(text[], text[], text[], bigint[], text[], bigint[], text[], integer[], text[],"
                            + " text[], text)",
                    "record_outcomes(text[], text[], text[], bigint[], text[], bigint[], text[], integer[], text[],"
                            + " text[], text[], text)")) {
                statements.add("DROP FUNCTION IF EXISTS " + tablePrefix + function);
            }
        }
        return statements;
    }

    /**
     * Checks a table prefix: 1 to 30 characters, lowercase ASCII letters, digits and underscores, starting with a
     * letter. Such a prefix is a valid unquoted identifier part on every dialect and never needs quoting.
     *
     * @return the prefix
     * @throws ValidationException on {@code tablePrefix} otherwise
     */
    public static String validatePrefix(String tablePrefix) {
        if (tablePrefix == null || !PREFIX.matcher(tablePrefix).matches()) {
            throw new ValidationException(
                    "tablePrefix",
                    "must be 1 to 30 characters of a-z, 0-9 and _, starting with a letter (for example pp_)");
        }
        return tablePrefix;
    }

    /**
     * Splits a script at semicolons that end a line, leaving out comment lines; a {@code $$}-quoted body (a PostgreSQL
     * function) is kept whole, its inner semicolons included.
     */
    static List<String> splitStatements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inBody = false;
        for (String line : script.split("\n", -1)) {
            String trimmed = line.strip();
            if (!inBody && (trimmed.isEmpty() || trimmed.startsWith("--"))) {
                continue;
            }
            if (dollarQuotes(trimmed) % 2 == 1) {
                inBody = !inBody;
            }
            if (!inBody && trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                statements.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(inBody ? line : trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static int dollarQuotes(String line) {
        int count = 0;
        for (int i = line.indexOf("$$"); i >= 0; i = line.indexOf("$$", i + 2)) {
            count++;
        }
        return count;
    }

    private static String load(String path) {
        String resource = "/dev/postpurchase/jdbc/" + path;
        try (InputStream in = JdbcSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema file " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema file " + resource, e);
        }
    }
}
