package dev.postpurchase.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.postpurchase.core.action.ActionDefinition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionDefinitionTest {
    @Test
    void missingFieldsAreAllNamed() {
        ValidationException e =
                catchThrowableOfType(ValidationException.class, () -> ActionDefinition.builder("webhook")
                        .build());

        assertThat(e.fields()).containsExactlyInAnyOrder("id", "targetId", "level", "config");
    }

    @Test
    void toStringNeverShowsTheConfigWhichMayHoldSecrets() {
        ActionDefinition d = ActionDefinition.builder("webhook")
                .id("d-1")
                .checkout("c-1")
                .config(Map.of("secret", "whsec_topsecret"))
                .build();

        assertThat(d.toString()).doesNotContain("topsecret").contains("d-1");
        assertThat(d.configJson()).contains("topsecret");
    }

    @Test
    void secretsAreRedactedInToStringButComparable() {
        Secret s = Secret.of("api-key-123");

        assertThat(s.toString()).doesNotContain("api-key-123");
        assertThat(s).isEqualTo(Secret.of("api-key-123"));
        assertThat(PostpurchaseJson.write(Map.of("k", s))).isEqualTo("{\"k\":\"api-key-123\"}");
    }
}
