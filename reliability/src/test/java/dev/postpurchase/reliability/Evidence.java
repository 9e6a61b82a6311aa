package dev.postpurchase.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SecretScanTest} searches: every secret value the suite used ({@code target/reliability-secrets.txt})
 * and every exception message and recorded run error or result it saw ({@code target/reliability-exceptions.txt}).
 * Log lines are captured separately (slf4j-simple writes to {@code target/reliability-suite.log}; the nodes'
 * output goes to {@code target/nodes}). Thread-safe.
 */
final class Evidence {
    private Evidence() {}

    static Path secretsFile() {
        return Figures.target().resolve("reliability-secrets.txt");
    }

    static Path exceptionsFile() {
        return Figures.target().resolve("reliability-exceptions.txt");
    }

    /** Registers a secret value (at least 12 characters, so a hit is never a coincidence); returns it. */
    static String secret(String value) {
        if (value.length() < 12) {
            throw new IllegalArgumentException("secret values must be at least 12 characters to be searchable");
        }
        append(secretsFile(), value.replace("\n", "").replace("\r", ""));
        return value;
    }

    /** Records the message, toString and causes of a throwable. */
    static void exception(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            text.append(t).append(" | ");
            for (Throwable suppressed : t.getSuppressed()) {
                text.append("suppressed ").append(suppressed).append(" | ");
            }
        }
        append(exceptionsFile(), oneLine(text.toString()));
    }

    /** Records a text the SDK produced for people to read: a run's last error, result or skip reason. */
    static void text(@Nullable String value) {
        if (value != null) {
            append(exceptionsFile(), oneLine(value));
        }
    }

    private static String oneLine(String value) {
        return value.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static synchronized void append(Path file, String line) {
        try {
            Files.createDirectories(file.getParent());
            // getBytes replaces lone surrogates (hostile input) instead of failing
            Files.write(
                    file,
                    (line + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
