package dev.postpurchase.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExcerptRedactionTest {
    @Test
    void webhookSecretsBearerTokensAndNamedSecretsAreMasked() {
        String excerpt = ExcerptRedaction.redact(
                "HTTP 401: {\"error\":\"bad signature for whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\","
                        + " \"token\": \"tok_live_123\"} Authorization: Bearer eyJhbGciOi.x-y_z api_key=sk_test_9&x=1"
                        + " password:hunter2 at https://admin:pa55@example.com/hook");

        assertThat(excerpt)
                .doesNotContain("MfKQ9r8", "tok_live_123", "eyJhbGciOi", "sk_test_9", "hunter2", "pa55", "admin:")
                .contains(
                        "whsec_••••",
                        "Authorization: ••••",
                        "\"token\": \"••••\"",
                        "api_key=••••&x=1",
                        "https://••••@example.com/hook");
        assertThat(ExcerptRedaction.redact("refused: Bearer abc.def")).isEqualTo("refused: Bearer ••••");
    }

    @Test
    void secretsAreMaskedWhateverTheirCase() {
        assertThat(ExcerptRedaction.redact("BEARER ABC.DEF; PASSWORD=HUNTER2; Api-Key: K1; HTTPS://U:P@H/"))
                .isEqualTo("BEARER ••••; PASSWORD=••••; Api-Key: ••••; HTTPS://••••@H/");
    }

    @Test
    void ordinaryAnswersStayAsTheyAre() {
        String answer = "HTTP 503 Service Unavailable: try again later (licence key issued: no)";

        assertThat(ExcerptRedaction.redact(answer)).isEqualTo(answer);
        assertThat(ExcerptRedaction.redact(null)).isNull();
    }
}
