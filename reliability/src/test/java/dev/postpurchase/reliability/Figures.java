package dev.postpurchase.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The suite's figures: each test appends one block to {@code target/reliability-figures.txt} (and prints it), so
 * RELIABILITY.md can be filled from an actual run. Thread-safe.
 */
final class Figures {
    private Figures() {}

    /** The build directory of this module ({@code target}), as passed by Surefire, else {@code target}. */
    static Path target() {
        return Path.of(System.getProperty("pp.target", "target"));
    }

    /** Appends {@code lines} under a heading naming the test. */
    static synchronized void report(String test, String... lines) {
        StringBuilder text = new StringBuilder();
        text.append("## ")
                .append(test)
                .append(" (")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(Soak.enabled() ? ", soak" : "")
                .append(")\n");
        for (String line : lines) {
            text.append("- ").append(line).append('\n');
        }
        text.append('\n');
        System.out.print(text);
        try {
            Files.createDirectories(target());
            Files.writeString(
                    target().resolve("reliability-figures.txt"),
                    text,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
