package dev.postpurchase.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.admin.internal.ConfigSchemas;
import dev.postpurchase.admin.internal.SecretFields;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Secrets stay on the server: masked by the config's schema, kept, replaced or removed on save. */
class SecretFieldsTest {
    record Header(String name, Secret value) {}

    record Config(String url, Secret secret, @Nullable Secret previousSecret, List<Header> headers, Nested nested) {}

    record Nested(Secret apiKey, int retries) {}

    private static final JsonNode SCHEMA = ConfigSchemas.of(Config.class);

    private static ObjectNode stored() {
        Config config = new Config(
                "https://x.example",
                Secret.of("s-1"),
                Secret.of("s-0"),
                List.of(new Header("Authorization", Secret.of("h-1"))),
                new Nested(Secret.of("k-1"), 3));
        return (ObjectNode) PostpurchaseJson.mapper().valueToTree(config);
    }

    @Test
    void maskingNullsEverySecretAtAnyDepthAndSaysWhichWereSet() {
        ObjectNode config = stored();
        Set<String> set = SecretFields.mask(config, SCHEMA);
        assertThat(set).containsExactlyInAnyOrder("secret", "previousSecret", "headers[0].value", "nested.apiKey");
        assertThat(config.toString()).doesNotContain("s-1", "s-0", "h-1", "k-1").contains("https://x.example");
    }

    @Test
    void secretsLeftEmptyKeepTheirValuesTypedOnesReplaceThemAndClearedOnesGo() {
        ObjectNode edited = stored();
        SecretFields.mask(edited, SCHEMA);
        edited.put("secret", "s-2");
        SecretFields.merge(edited, stored(), SCHEMA, Set.of("previousSecret"));
        Config saved = PostpurchaseJson.read(edited.toString(), Config.class, "config");
        assertThat(saved.secret()).isEqualTo(Secret.of("s-2"));
        assertThat(saved.previousSecret()).isNull();
        assertThat(saved.headers().get(0).value()).isEqualTo(Secret.of("h-1"));
        assertThat(saved.nested().apiKey()).isEqualTo(Secret.of("k-1"));
    }
}
