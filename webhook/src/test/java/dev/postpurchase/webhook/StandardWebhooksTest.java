package dev.postpurchase.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ValidationException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {
    // Official vector A of the Standard Webhooks reference libraries (reference/webhooks.md §1.3).
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final String PAYLOAD = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final Clock AT_VECTOR_TIME = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC);

    /** An HMAC computed here, independently of the signer: the spec's recipe written out by hand. */
    static String independentSignature(String secretWithPrefix, String msgId, long ts, byte[] body) throws Exception {
        byte[] key = Base64.getDecoder().decode(secretWithPrefix.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((msgId + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    @Test
    void signsTheOfficialTestVector() throws Exception {
        String signature = StandardWebhookSigner.of(WebhookSecret.parse(SECRET)).sign(MSG_ID, TIMESTAMP, PAYLOAD);
        assertThat(signature).isEqualTo(SIGNATURE);
        assertThat(independentSignature(SECRET, MSG_ID, TIMESTAMP, PAYLOAD.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SIGNATURE);
    }

    @Test
    void signsTheComputedVectorsForAMinifiedAndANonAsciiPayload() {
        StandardWebhookSigner signer = StandardWebhookSigner.of(WebhookSecret.parse(SECRET));
        assertThat(signer.sign(
                        "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
                        1674087231L,
                        "{\"type\":\"contact.created\",\"timestamp\":\"2022-11-03T20:26:10.344522Z\","
                                + "\"data\":{\"id\":\"1f81eb52-5198-4599-803e-771906343485\"}}"))
                .isEqualTo("v1,ARw42xaAApl/nxRo+iPGYwSaMQaOwMo2eyH5JBRA+bQ=");
        assertThat(signer.sign(MSG_ID, TIMESTAMP, "{\"name\":\"Zoë €\"}"))
                .isEqualTo("v1,iENl6vMpRAScaigXd3FyM+4e/0ZxBwrp3oDfUyL8G6I=");
    }

    @Test
    void verifiesTheOfficialTestVectorWithAnInjectedClock() {
        StandardWebhookVerifier verifier = StandardWebhookVerifier.builder()
                .secret(WebhookSecret.parse(SECRET))
                .clock(AT_VECTOR_TIME)
                .build();
        VerifiedWebhook verified = verifier.verify(
                PAYLOAD,
                Map.of("Webhook-Id", MSG_ID, "WEBHOOK-TIMESTAMP", "1614265330", "webhook-signature", SIGNATURE));
        assertThat(verified).isEqualTo(new VerifiedWebhook(MSG_ID, Instant.ofEpochSecond(TIMESTAMP)));
    }

    @Test
    void acceptsListValuedHeadersAndAnyMatchingSignatureAmongSeveral() {
        StandardWebhookVerifier verifier = StandardWebhookVerifier.builder()
                .secret(WebhookSecret.parse(SECRET))
                .clock(AT_VECTOR_TIME)
                .build();
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of(MSG_ID),
                "webhook-timestamp", List.of("1614265330"),
                "webhook-signature", List.of("v1,AAAA v1a,hnO3f9T8Ytu9Hw== garbage v1,%%% " + SIGNATURE));
        assertThat(verifier.verify(PAYLOAD.getBytes(StandardCharsets.UTF_8), headers)
                        .id())
                .isEqualTo(MSG_ID);
    }

    @Test
    void rotationSendsBothSignaturesAndEitherSecretVerifies() throws Exception {
        WebhookSecret oldSecret = WebhookSecret.parse(SECRET);
        WebhookSecret newSecret = WebhookSecret.generate();
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String header = StandardWebhookSigner.of(newSecret, oldSecret).sign(MSG_ID, TIMESTAMP, body);

        assertThat(header.split(" "))
                .containsExactly(
                        independentSignature(newSecret.encoded(), MSG_ID, TIMESTAMP, body),
                        independentSignature(SECRET, MSG_ID, TIMESTAMP, body));
        for (WebhookSecret receiverSecret : List.of(oldSecret, newSecret)) {
            StandardWebhookVerifier verifier = StandardWebhookVerifier.builder()
                    .secret(receiverSecret)
                    .clock(AT_VECTOR_TIME)
                    .build();
            assertThat(verifier.verify(body, MSG_ID, "1614265330", header).id()).isEqualTo(MSG_ID);
        }
    }

    @Test
    void rejectsATamperedBodyAWrongSecretAndAForeignId() {
        StandardWebhookVerifier verifier = StandardWebhookVerifier.builder()
                .secret(WebhookSecret.parse(SECRET))
                .clock(AT_VECTOR_TIME)
                .build();
        assertThatThrownBy(() -> verifier.verify(
                        "{\"test\":2432232314}".getBytes(StandardCharsets.UTF_8), MSG_ID, "1614265330", SIGNATURE))
                .isInstanceOf(SignatureMismatchException.class)
                .hasMessageNotContaining(SIGNATURE);
        assertThatThrownBy(() ->
                        verifier.verify(PAYLOAD.getBytes(StandardCharsets.UTF_8), "msg_other", "1614265330", SIGNATURE))
                .isInstanceOf(SignatureMismatchException.class);
        StandardWebhookVerifier wrongSecret = StandardWebhookVerifier.builder()
                .secret(WebhookSecret.generate())
                .clock(AT_VECTOR_TIME)
                .build();
        assertThatThrownBy(() ->
                        wrongSecret.verify(PAYLOAD.getBytes(StandardCharsets.UTF_8), MSG_ID, "1614265330", SIGNATURE))
                .isInstanceOf(SignatureMismatchException.class)
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void namesEachMissingHeader() {
        StandardWebhookVerifier verifier = StandardWebhookVerifier.of(WebhookSecret.parse(SECRET));
        byte[] body = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifier.verify(body, Map.of("webhook-timestamp", "1", "webhook-signature", "v1,x")))
                .isInstanceOfSatisfying(MissingHeaderException.class, e -> assertThat(e.header())
                        .isEqualTo("webhook-id"));
        assertThatThrownBy(() -> verifier.verify(body, Map.of("webhook-id", MSG_ID, "webhook-signature", "v1,x")))
                .isInstanceOfSatisfying(MissingHeaderException.class, e -> assertThat(e.header())
                        .isEqualTo("webhook-timestamp"));
        assertThatThrownBy(() -> verifier.verify(body, Map.of("webhook-id", MSG_ID, "webhook-timestamp", "1")))
                .isInstanceOfSatisfying(MissingHeaderException.class, e -> assertThat(e.header())
                        .isEqualTo("webhook-signature"));
    }

    @Test
    void rejectsTimestampsOutsideTheToleranceOrNotANumber() {
        byte[] body = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        StandardWebhookVerifier late = StandardWebhookVerifier.builder()
                .secret(WebhookSecret.parse(SECRET))
                .clock(Clock.offset(AT_VECTOR_TIME, Duration.ofSeconds(301)))
                .build();
        assertThatThrownBy(() -> late.verify(body, MSG_ID, "1614265330", SIGNATURE))
                .isInstanceOfSatisfying(InvalidTimestampException.class, e -> assertThat(e.problem())
                        .isEqualTo(InvalidTimestampException.Problem.TOO_OLD));
        StandardWebhookVerifier early = StandardWebhookVerifier.builder()
                .secret(WebhookSecret.parse(SECRET))
                .clock(Clock.offset(AT_VECTOR_TIME, Duration.ofSeconds(-301)))
                .build();
        assertThatThrownBy(() -> early.verify(body, MSG_ID, "1614265330", SIGNATURE))
                .isInstanceOfSatisfying(InvalidTimestampException.class, e -> assertThat(e.problem())
                        .isEqualTo(InvalidTimestampException.Problem.TOO_NEW));
        StandardWebhookVerifier edge = StandardWebhookVerifier.builder()
                .secret(WebhookSecret.parse(SECRET))
                .clock(Clock.offset(AT_VECTOR_TIME, Duration.ofSeconds(300)))
                .build();
        assertThat(edge.verify(body, MSG_ID, "1614265330", SIGNATURE).id()).isEqualTo(MSG_ID);
        for (String bad : List.of("abc", "-1614265330", "1614265330.5", "1e9", "99999999999999999999")) {
            assertThatThrownBy(() -> edge.verify(body, MSG_ID, bad, SIGNATURE))
                    .as(bad)
                    .isInstanceOfSatisfying(InvalidTimestampException.class, e -> assertThat(e.problem())
                            .isEqualTo(InvalidTimestampException.Problem.NOT_A_NUMBER));
        }
    }

    @Test
    void generatesWhsecSecretsOf32RandomBytesAndParsesThemWithOrWithoutThePrefix() {
        WebhookSecret generated = WebhookSecret.generate(new SecureRandom());
        assertThat(generated.encoded()).startsWith("whsec_").hasSize("whsec_".length() + 44);
        assertThat(generated.keyBytes()).hasSize(32);
        assertThat(WebhookSecret.parse(generated.encoded())).isEqualTo(generated);
        assertThat(WebhookSecret.parse(generated.encoded().substring(6))).isEqualTo(generated);
        assertThat(WebhookSecret.generate()).isNotEqualTo(generated);
        assertThat(generated.toString()).doesNotContain(generated.encoded().substring(6, 20));
        assertThat(WebhookSecret.parse(SECRET).keyBytes()).hasSize(24);
    }

    @Test
    void refusesMalformedOrTooShortSecretsWithoutEchoingThem() {
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_not*base64!"))
                .isInstanceOf(ValidationException.class)
                .hasMessageNotContaining("not*base64");
        assertThatThrownBy(
                        () -> WebhookSecret.parse("whsec_" + Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("24 to 64");
    }

    @Test
    void refusesMessageIdsThatWouldMakeTheSignedContentAmbiguous() {
        StandardWebhookSigner signer = StandardWebhookSigner.of(WebhookSecret.parse(SECRET));
        assertThatThrownBy(() -> signer.sign("msg.1", 1L, "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("msg\r\n1", 1L, "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThat(signer.toString()).doesNotContain("MfKQ9r8GKYqr");
    }

    @Test
    void aTimestampBeyondTheRangeOfInstantIsATypedFailure() {
        StandardWebhookVerifier verifier = StandardWebhookVerifier.of(WebhookSecret.generate());

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> verifier.verify(new byte[0], "msg_1", "99999999999999999", "v1,abc"))
                .isInstanceOf(InvalidTimestampException.class);
    }
}
