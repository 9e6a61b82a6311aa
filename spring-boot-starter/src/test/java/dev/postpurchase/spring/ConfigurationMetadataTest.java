package dev.postpurchase.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata that spring-boot-configuration-processor writes into the jar: every {@code
 * postpurchase.*} property an IDE completes, with the description and default it shows.
 */
class ConfigurationMetadataTest {
    static final Map<String, JsonNode> PROPERTIES = new LinkedHashMap<>();

    @BeforeAll
    static void readMetadata() throws IOException {
        try (InputStream in =
                ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in)
                    .as("META-INF/spring-configuration-metadata.json on the class path")
                    .isNotNull();
            JsonNode metadata = new ObjectMapper().readTree(in);
            for (JsonNode property : metadata.get("properties")) {
                PROPERTIES.put(property.get("name").asText(), property);
            }
        }
    }

    @Test
    void thePropertiesOfPostpurchasePropertiesAreListedWithTheirTypeDescriptionAndDefault() {
        assertProperty("postpurchase.workers", "java.lang.Integer", "Runs executed at once on this node.", "4");
        assertProperty("postpurchase.jdbc.migrate", "java.lang.Boolean", "Whether the tables are created", "true");
        assertProperty("postpurchase.jdbc.table-prefix", "java.lang.String", "The prefix of every table", "pp_");
        assertProperty("postpurchase.poll-interval", "java.time.Duration", "How often the store is polled", "1s");
        assertProperty("postpurchase.retention.batch-size", "java.lang.Integer", "Triggers deleted", "500");
        assertProperty("postpurchase.metrics.run-counts-refresh", "java.time.Duration", "How often", "30s");
    }

    @Test
    void everyPropertyHasAPlainTextDescription() {
        assertThat(PROPERTIES).hasSizeGreaterThanOrEqualTo(20);
        assertThat(PROPERTIES.values()).allSatisfy(property -> {
            String name = property.get("name").asText();
            assertThat(property.path("description").asText()).as(name).isNotBlank();
            // Javadoc tags are copied verbatim by the processor and would show as such in an IDE
            assertThat(property.path("description").asText()).as(name).doesNotContain("{@");
        });
    }

    @Test
    void theSecretKeyHasNoDefaultAndTracingIsDescribedBesideTheBoundProperties() {
        assertThat(PROPERTIES.get("postpurchase.secret-key")).isNotNull();
        assertThat(PROPERTIES.get("postpurchase.secret-key").has("defaultValue"))
                .isFalse();
        assertThat(PROPERTIES.get("postpurchase.secret-key").get("description").asText())
                .contains("Base64 of 32 bytes");
        assertProperty("postpurchase.tracing.enabled", "java.lang.Boolean", "Whether runs are traced", "true");
    }

    private static void assertProperty(String name, String type, String descriptionStart, String defaultValue) {
        JsonNode property = PROPERTIES.get(name);
        assertThat(property).as(name).isNotNull();
        assertThat(property.get("type").asText()).as(name).isEqualTo(type);
        assertThat(property.get("description").asText()).as(name).startsWith(descriptionStart);
        assertThat(property.get("defaultValue").asText()).as(name).isEqualTo(defaultValue);
    }
}
