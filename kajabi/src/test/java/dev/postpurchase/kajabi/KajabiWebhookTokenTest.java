package dev.postpurchase.kajabi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KajabiWebhookTokenTest {

    @Test
    void generatedTokensAreLongUrlSafeAndDifferent() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String value = KajabiWebhookToken.generate().secret().reveal();
            assertThat(value).hasSize(43).matches("[A-Za-z0-9_-]+");
            seen.add(value);
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void matchesOnlyTheExactToken() {
        KajabiWebhookToken token = KajabiWebhookToken.of(Secret.of("s3cr3t-token-for-kajabi-hooks"));

        assertThat(token.matches("s3cr3t-token-for-kajabi-hooks")).isTrue();
        assertThat(token.matches("s3cr3t-token-for-kajabi-hookS")).isFalse();
        assertThat(token.matches("s3cr3t-token-for-kajabi-hooks-and-more")).isFalse();
        assertThat(token.matches("s3cr3t")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void acceptsEitherTokenDuringRotation() {
        KajabiWebhookToken old = KajabiWebhookToken.generate();
        KajabiWebhookToken fresh = KajabiWebhookToken.generate();

        assertThat(KajabiWebhookToken.matchesAny(
                        List.of(old, fresh), old.secret().reveal()))
                .isTrue();
        assertThat(KajabiWebhookToken.matchesAny(
                        List.of(old, fresh), fresh.secret().reveal()))
                .isTrue();
        assertThat(KajabiWebhookToken.matchesAny(List.of(old, fresh), "x".repeat(43)))
                .isFalse();
    }

    @Test
    void refusesShortOrUnsafeTokensWithoutEchoingThem() {
        assertThatThrownBy(() -> KajabiWebhookToken.of(Secret.of("short-secret")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("at least 22")
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> KajabiWebhookToken.of(Secret.of("has/slash/and?query=1&more-chars")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("URL-safe")
                .hasMessageNotContaining("query");
    }

    @Test
    void neverShowsTheTokenInToString() {
        KajabiWebhookToken token = KajabiWebhookToken.generate();

        assertThat(token.toString()).doesNotContain(token.secret().reveal()).isEqualTo("KajabiWebhookToken[***]");
        assertThat(token.secret().toString()).doesNotContain(token.secret().reveal());
    }
}
