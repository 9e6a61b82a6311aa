package dev.postpurchase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs last, in its own Surefire execution after every other test of the module: searches every log line the suite
 * produced (slf4j-simple's file {@code target/reliability-suite.log}, each node's output in {@code target/nodes},
 * the tests' captured standard output and error in {@code target/surefire-reports}) and every exception message,
 * run error and result the tests recorded ({@code target/reliability-exceptions.txt}) for each secret value the
 * suite used: webhook signing secrets (with and without {@code whsec_}), Systeme.io API keys, Kajabi offer URLs
 * and their token segments (no test authenticates to SMTP, so there is no SMTP password to look for).
 */
class SecretScanTest {

    @Test
    void noSecretTheSuiteUsedAppearsInAnyLogLineOrExceptionMessage() throws IOException {
        Path target = Figures.target();
        Path secretsFile = Evidence.secretsFile();
        assertThat(secretsFile).as("the suite registered the secrets it used").exists();
        Set<String> secrets = new LinkedHashSet<>();
        for (String line : Files.readAllLines(secretsFile, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            secrets.add(line);
            if (line.startsWith("whsec_")) {
                secrets.add(line.substring("whsec_".length()));
            }
        }
        List<Path> files = new ArrayList<>();
        files.add(target.resolve("reliability-suite.log"));
        files.add(Evidence.exceptionsFile());
        files.add(target.resolve("reliability-figures.txt"));
        try (Stream<Path> nodes = Files.list(Nodes.logDirectory())) {
            nodes.filter(p -> p.toString().endsWith(".log")).forEach(files::add);
        }
        Path reports = target.resolve("surefire-reports");
        if (Files.isDirectory(reports)) {
            try (Stream<Path> outputs = Files.list(reports)) {
                outputs.filter(p -> p.getFileName().toString().endsWith("-output.txt"))
                        .filter(p -> !p.getFileName().toString().contains("SecretScanTest"))
                        .forEach(files::add);
            }
        }
        long lines = 0;
        long bytes = 0;
        List<String> hits = new ArrayList<>();
        for (Path file : files) {
            if (!Files.exists(file)) {
                continue;
            }
            bytes += Files.size(file);
            try (Stream<String> content = Files.lines(file, StandardCharsets.UTF_8)) {
                for (String line : (Iterable<String>) content::iterator) {
                    lines++;
                    for (String secret : secrets) {
                        if (line.contains(secret)) {
                            hits.add(file.getFileName() + ": a secret of " + secret.length() + " characters starting "
                                    + secret.substring(0, 4) + "... in: "
                                    + line.substring(0, Math.min(160, line.length()))
                                            .replace(secret, "<SECRET>"));
                        }
                    }
                }
            }
        }
        assertThat(lines).as("log lines and messages captured").isGreaterThan(1000);
        assertThat(hits).as("secrets found in logs or messages").isEmpty();
        Figures.report(
                "Secrets in logs and messages",
                "secret values searched " + secrets.size() + " (webhook secrets with and without whsec_, API keys,"
                        + " Kajabi URLs and tokens)",
                "files " + files.stream().filter(Files::exists).count() + ", lines " + lines + ", bytes " + bytes
                        + ", hits 0");
    }
}
