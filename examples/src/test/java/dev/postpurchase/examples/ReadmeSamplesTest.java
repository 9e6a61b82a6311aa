package dev.postpurchase.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.examples.readme.MerchantConfiguration;
import dev.postpurchase.examples.readme.QuickUsage;
import dev.postpurchase.examples.readme.ShippedExecutorsOnJdbc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Every Java block of the README is code that compiles: it must appear verbatim in the readme sample sources. */
class ReadmeSamplesTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path SAMPLES = Path.of("src", "main", "java", "dev", "postpurchase", "examples", "readme");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern REGION =
            Pattern.compile("// README:start [\\w-]+\\n(.*?)// README:end", Pattern.DOTALL);

    @Test
    void everyJavaBlockOfTheReadmeIsCompiledSampleCode() throws IOException {
        String compiled = normalise(sampleRegions());
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(Files.readString(README));
        while (m.find()) {
            blocks.add(m.group(1));
        }

        assertThat(blocks).as("the README has Java samples").hasSizeGreaterThanOrEqualTo(3);
        for (String block : blocks) {
            assertThat(compiled)
                    .as("README block not found in the compiled samples:%n%s", block)
                    .contains(normalise(block));
        }
    }

    @Test
    void theQuickUsageSampleRunsAndSucceeds() {
        List<ActionRun> runs = QuickUsage.run();

        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.rerunCount()).isEqualTo(1);
        });
    }

    @Test
    void theMerchantConfigurationSampleStoresAndReadsBackItsDefinition() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:readme-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

        List<ActionDefinition> stored =
                MerchantConfiguration.run(h2, Base64.getEncoder().encodeToString(AesGcmSecretCodec.generateKey()));

        assertThat(stored).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo("notify-sales");
            assertThat(d.enabled()).isFalse();
        });
    }

    @Test
    void theShippedExecutorsSampleRegistersEveryExecutorOnceOnTheJdbcStore() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:readme-shipped-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

        List<String> types = ShippedExecutorsOnJdbc.run(
                h2, Base64.getEncoder().encodeToString(AesGcmSecretCodec.generateKey()), "localhost", 2525, false);

        assertThat(types)
                .containsExactly("custom-email", "fulfillment-webhook", "postback", "receipt-email", "webhook");
    }

    private static String sampleRegions() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = REGION.matcher(Files.readString(file));
                while (m.find()) {
                    all.append(m.group(1)).append('\n');
                }
            }
        }
        return all.toString();
    }

    /** Compares code by its lines without indentation, so indentation inside Markdown does not matter. */
    private static String normalise(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
