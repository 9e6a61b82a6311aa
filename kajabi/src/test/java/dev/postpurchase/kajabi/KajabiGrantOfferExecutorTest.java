package dev.postpurchase.kajabi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.IntegrationNotEnabledException;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.ExponentialBackoffRetry;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.http.GuardedHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KajabiGrantOfferExecutorTest {
    private final KajabiMock kajabi = new KajabiMock();
    private final InMemoryIntegrationSettings settings =
            IntegrationSettings.inMemory().enable("kajabi");
    private final KajabiGrantOfferExecutor executor = KajabiGrantOfferExecutor.builder()
            .integrationSettings(settings)
            .httpClient(kajabi.client)
            .allowDevelopmentBaseUrl(kajabi.base)
            .build();
    private final Order order = KajabiMock.order("order-1", "Jane.Smith@Example.com", "Jane", "Smith");

    @AfterEach
    void stop() throws IOException {
        kajabi.close();
    }

    private KajabiGrantOfferConfig config() {
        return KajabiGrantOfferConfig.of("Grant main course", kajabi.activationUrl());
    }

    private ExecutionOutcome grant(KajabiGrantOfferConfig config) {
        executor.validate(config);
        return ActionExecutors.attempt(
                executor, KajabiMock.context(KajabiGrantOfferExecutor.TYPE, config, order, null));
    }

    @Test
    void aGrantCannotBeSubscribedToAnEvent() {
        dev.postpurchase.core.event.Subscription onRefund = dev.postpurchase.core.event.Subscription.of(
                "s", dev.postpurchase.core.event.ShopEventType.REFUND_APPLIED, java.util.List.of("grant"));

        assertThat(executor.triggerKinds()).containsExactly(dev.postpurchase.core.action.TriggerKind.ORDER);
        assertThatThrownBy(() -> dev.postpurchase.core.spi.ConfigurationRules.checkSubscription(
                        ActionExecutors.of(java.util.List.of(executor)),
                        onRefund,
                        id -> java.util.Optional.of(executor.type())))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("definitionIds")
                .hasMessageContaining("runs for paid orders only");
    }

    @Test
    void postsNameEmailAndExternalUserIdAsJsonAndSucceedsOn200() {
        kajabi.answer(200, "{\"status\":\"ok\"}");

        ExecutionOutcome outcome = grant(config());

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(((ExecutionOutcome.Succeeded) outcome).result()).contains("HTTP 200");
        RecordedRequest request = kajabi.take();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath())
                .isEqualTo("/webhooks/offers/" + KajabiMock.TOKEN + "/" + KajabiMock.OFFER + "/activate");
        assertThat(request.getRequestUrl().query()).isNull();
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThat(request.getHeader("Idempotency-Key"))
                .isEqualTo(KajabiMock.context(KajabiGrantOfferExecutor.TYPE, config(), order, null)
                        .idempotencyKey());
        JsonNode body = KajabiMock.json(request);
        assertThat(body.size()).isEqualTo(3);
        assertThat(body.get("name").asText()).isEqualTo("Jane Smith");
        assertThat(body.get("email").asText()).isEqualTo("Jane.Smith@Example.com");
        assertThat(body.get("external_user_id").asText()).isEqualTo("jane.smith@example.com");
    }

    @Test
    void sendOfferGrantEmailAddsTheQueryParameter() {
        kajabi.answer(200, "{}");

        grant(config().withSendOfferGrantEmail(true));

        RecordedRequest request = kajabi.take();
        assertThat(request.getRequestUrl().query()).isEqualTo("send_offer_grant_email=true");
        assertThat(request.getRequestUrl().encodedPath()).endsWith("/activate");
    }

    @Test
    void hideLastNameSendsOnlyTheFirstLetterOfTheLastName() {
        kajabi.answer(200, "{}");
        kajabi.answer(200, "{}");

        grant(config().withHideLastName(true));
        ActionExecutors.attempt(
                executor,
                KajabiMock.context(
                        KajabiGrantOfferExecutor.TYPE,
                        config().withHideLastName(true),
                        KajabiMock.order("order-2", "ada@example.com", "Åsa", "Öberg-Lind"),
                        null));

        assertThat(KajabiMock.json(kajabi.take()).get("name").asText()).isEqualTo("Jane S");
        assertThat(KajabiMock.json(kajabi.take()).get("name").asText()).isEqualTo("Åsa Ö");
    }

    @Test
    void withoutHideLastNameTheFullNameIsSentAndWithoutAnyNameTheEmailsLocalPart() {
        kajabi.answer(200, "{}");

        ActionExecutors.attempt(
                executor,
                KajabiMock.context(
                        KajabiGrantOfferExecutor.TYPE,
                        config(),
                        KajabiMock.order("order-3", "solo@example.com", null, null),
                        null));

        JsonNode body = KajabiMock.json(kajabi.take());
        assertThat(body.get("name").asText()).isEqualTo("solo");
    }

    @Test
    void externalUserIdFollowsTheConfiguredPolicyAndIsStableAcrossSpellingsOfTheEmail() {
        kajabi.answer(200, "{}");
        kajabi.answer(200, "{}");

        grant(config().withExternalUserId(KajabiExternalUserId.EMAIL_SHA256));
        ActionExecutors.attempt(
                executor,
                KajabiMock.context(
                        KajabiGrantOfferExecutor.TYPE,
                        config().withExternalUserId(KajabiExternalUserId.EMAIL_SHA256),
                        KajabiMock.order("order-4", "jane.smith@example.com", "Jane", "Smith"),
                        null));

        String first = KajabiMock.json(kajabi.take()).get("external_user_id").asText();
        String second = KajabiMock.json(kajabi.take()).get("external_user_id").asText();
        assertThat(first).isEqualTo(second).hasSize(64).matches("[0-9a-f]+");
        assertThat(KajabiExternalUserId.EMAIL_MD5.of("Jane@Example.com "))
                .isEqualTo(KajabiExternalUserId.EMAIL_MD5.of("jane@example.com"))
                .hasSize(32);
    }

    @Test
    void anAlreadyGrantedAnswerCountsAsSuccess() {
        kajabi.answer(422, "{\"errors\":[\"The offer has already been granted to this member\"]}");

        ExecutionOutcome outcome = grant(config());

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(((ExecutionOutcome.Succeeded) outcome).result())
                .contains("already been granted")
                .contains("HTTP 422");
    }

    @Test
    void rateLimitIsRetryableHonouringRetryAfter() {
        kajabi.answer(new MockResponse().setResponseCode(429).setHeader("Retry-After", "120"));

        ExecutionOutcome outcome = grant(config());

        assertThat(outcome).isInstanceOf(ExecutionOutcome.RetryableFailure.class);
        var failure = ((ExecutionOutcome.RetryableFailure) outcome).failure();
        assertThat(failure.statusCode()).isEqualTo(429);
        assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void serverErrorsAreRetryable() {
        kajabi.answer(503, "{\"error\":\"maintenance\"}");

        ExecutionOutcome outcome = grant(config());

        assertThat(outcome).isInstanceOf(ExecutionOutcome.RetryableFailure.class);
        assertThat(((ExecutionOutcome.RetryableFailure) outcome).failure().statusCode())
                .isEqualTo(503);
    }

    @Test
    void aDroppedConnectionIsRetryable() {
        kajabi.answer(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

        ExecutionOutcome outcome = grant(config());

        assertThat(outcome).isInstanceOf(ExecutionOutcome.RetryableFailure.class);
        assertThat(((ExecutionOutcome.RetryableFailure) outcome).failure().reason())
                .doesNotContain(KajabiMock.TOKEN);
    }

    @Test
    void aTimeoutIsRetryableAndMarkedAsTimedOut() throws IOException {
        try (KajabiMock slow = new KajabiMock(Duration.ofMillis(300))) {
            KajabiGrantOfferExecutor impatient = KajabiGrantOfferExecutor.builder()
                    .integrationSettings(settings)
                    .httpClient(slow.client)
                    .allowDevelopmentBaseUrl(slow.base)
                    .build();
            slow.answer(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            KajabiGrantOfferConfig config = KajabiGrantOfferConfig.of("slow", slow.activationUrl());

            ExecutionOutcome outcome = ActionExecutors.attempt(
                    impatient, KajabiMock.context(KajabiGrantOfferExecutor.TYPE, config, order, null));

            assertThat(outcome).isInstanceOf(ExecutionOutcome.RetryableFailure.class);
            assertThat(((ExecutionOutcome.RetryableFailure) outcome).failure().timedOut())
                    .isTrue();
        }
    }

    @Test
    void cantBeBlankIsPermanentWithKajabisMessageRecorded() {
        kajabi.answer(422, "{\"errors\":{\"email\":[\"can't be blank\"],\"name\":[\"can't be blank\"]}}");

        ExecutionOutcome outcome = grant(config());

        assertThat(outcome).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        var failure = (ExecutionOutcome.PermanentFailure) outcome;
        assertThat(failure.reason())
                .startsWith("Kajabi refused the offer grant (HTTP 422)")
                .contains("email: can't be blank")
                .contains("name: can't be blank");
        assertThat(failure.statusCode()).isEqualTo(422);
    }

    @Test
    void isInvalidIsPermanentWithKajabisMessageRecordedEvenAsPlainText() {
        kajabi.answer(new MockResponse().setResponseCode(400).setBody("Email: is invalid"));

        ExecutionOutcome outcome = grant(config());

        assertThat(outcome).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        assertThat(((ExecutionOutcome.PermanentFailure) outcome).reason())
                .isEqualTo("Kajabi refused the offer grant (HTTP 400): Email: is invalid");
    }

    @Test
    void otherClientErrorsArePermanentAndRedirectsAreNotFollowed() {
        kajabi.answer(404, "{\"error\":\"Not Found\"}");
        kajabi.answer(new MockResponse().setResponseCode(302).setHeader("Location", kajabi.base + "elsewhere"));
        kajabi.answer(401, "");

        ExecutionOutcome notFound = grant(config());
        ExecutionOutcome redirect = grant(config());
        ExecutionOutcome unauthorised = grant(config());

        assertThat(notFound).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        assertThat(redirect).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        assertThat(((ExecutionOutcome.PermanentFailure) redirect).reason()).contains("redirects are not followed");
        assertThat(unauthorised).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        assertThat(kajabi.server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void definingTheActionWhileKajabiIsDisabledIsAnIntegrationNotEnabledError() {
        settings.disable("kajabi");

        assertThatThrownBy(() -> ActionExecutors.validateConfig(executor, config()))
                .isInstanceOf(IntegrationNotEnabledException.class)
                .hasMessageContaining("kajabi integration is not enabled")
                .satisfies(e -> assertThat(((IntegrationNotEnabledException) e).integration())
                        .isEqualTo("kajabi"));
    }

    @Test
    void runningAfterKajabiWasDisabledFailsPermanentlyWithAClearReasonAndCallsNothing() {
        executor.validate(config());
        settings.disable("kajabi");

        ExecutionOutcome outcome = ActionExecutors.attempt(
                executor, KajabiMock.context(KajabiGrantOfferExecutor.TYPE, config(), order, null));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        assertThat(((ExecutionOutcome.PermanentFailure) outcome).reason())
                .contains("Kajabi integration is disabled")
                .contains("Settings → Integrations → Course Platforms");
        assertThat(kajabi.server.getRequestCount()).isZero();
    }

    @Test
    void theDevelopmentBaseIsOffByDefaultSoLocalUrlsAreRefused() {
        KajabiGrantOfferExecutor production = KajabiGrantOfferExecutor.builder()
                .integrationSettings(settings)
                .httpClient(kajabi.client)
                .build();

        assertThatThrownBy(() -> production.validate(config()))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).violations())
                        .extracting(v -> v.message())
                        .contains("must use https")
                        .anyMatch(m -> m.contains("checkout.kajabi.com")))
                .hasMessageNotContaining(KajabiMock.TOKEN);
    }

    @Test
    void theDefaultClientStillBlocksLoopbackWhateverTheDevelopmentBaseAccepts() throws IOException {
        try (GuardedHttpClient strict =
                GuardedHttpClient.builder().allowHttp(true).build()) {
            KajabiGrantOfferExecutor guarded = KajabiGrantOfferExecutor.builder()
                    .integrationSettings(settings)
                    .httpClient(strict)
                    .allowDevelopmentBaseUrl(kajabi.base)
                    .build();

            ExecutionOutcome outcome = ActionExecutors.attempt(
                    guarded, KajabiMock.context(KajabiGrantOfferExecutor.TYPE, config(), order, null));

            assertThat(outcome).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
            assertThat(((ExecutionOutcome.PermanentFailure) outcome).reason())
                    .contains("blocked")
                    .doesNotContain(KajabiMock.TOKEN);
            assertThat(kajabi.server.getRequestCount()).isZero();
        }
    }

    @Test
    void acceptsKajabisActivationUrlsOnBothCheckoutHosts() {
        KajabiGrantOfferExecutor production =
                KajabiGrantOfferExecutor.builder().integrationSettings(settings).build();

        for (String url : List.of(
                "https://checkout.kajabi.com/webhooks/offers/oD8Dhsn5yeg8ZynT/2150333211/activate",
                "https://checkout.newkajabi.com/webhooks/offers/XXXXXXXXX/00000/activate",
                "https://CHECKOUT.Kajabi.com/webhooks/offers/mdr3JLj5Dzq5X2gA/585176/activate")) {
            assertThatCode(() -> production.validate(KajabiGrantOfferConfig.of("grant", Secret.of(url))))
                    .as("a valid Kajabi activation URL")
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void refusesUrlsThatAreNotKajabiActivationUrlsWithoutEchoingThem() {
        KajabiGrantOfferExecutor production =
                KajabiGrantOfferExecutor.builder().integrationSettings(settings).build();
        String good = "https://checkout.kajabi.com/webhooks/offers/SeCrEtToKeN123/42/activate";
        String[][] cases = {
            {"http://checkout.kajabi.com/webhooks/offers/SeCrEtToKeN123/42/activate", "must use https"},
            {"https://evil.example.com/webhooks/offers/SeCrEtToKeN123/42/activate", "Kajabi's checkout hosts"},
            {"https://checkout.kajabi.com.evil.example/webhooks/offers/SeCrEtToKeN123/42/activate", "checkout hosts"},
            {"https://checkout.kajabi.com:8443/webhooks/offers/SeCrEtToKeN123/42/activate", "must not name a port"},
            {"https://user:pw@checkout.kajabi.com/webhooks/offers/SeCrEtToKeN123/42/activate", "user info"},
            {good + "?send_offer_grant_email=true", "use the sendOfferGrantEmail setting"},
            {good + "#x", "fragment"},
            {"https://checkout.kajabi.com/webhooks/offers/SeCrEtToKeN123/42/deactivate", "use its activate URL"},
            {"https://checkout.kajabi.com/offers/SeCrEtToKeN123/42/activate", "must have the shape"},
            {"https://checkout.kajabi.com/webhooks/offers/activate", "must have the shape"},
            {"https://checkout.kajabi.com/webhooks/offers/SeCrEtToKeN123/42/activatex", "must have the shape"},
            {"https://checkout.kajabi.com/webhooks/offers/Se%2FcrEtToKeN123/42/activate", "must have the shape"},
            {"https://checkout.kajabi.com/webhooks/offers/SeCrEtToKeN123/42/activate\r\nX: y", "control characters"},
            {"not a url at all SeCrEtToKeN123", "whitespace"},
            {"ftp://checkout.kajabi.com/webhooks/offers/SeCrEtToKeN123/42/activate", "must be a URL"},
            {"", "is required"},
        };
        for (String[] c : cases) {
            KajabiGrantOfferConfig config = KajabiGrantOfferConfig.of("x", Secret.of(c[0]));
            assertThatThrownBy(() -> production.validate(config))
                    .as(c[1])
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining(c[1])
                    .hasMessageContaining("activationUrl")
                    .hasMessageNotContaining("SeCrEtToKeN123");
        }
    }

    @Test
    void refusesAMissingNameOrUrlNamingEachField() {
        KajabiGrantOfferConfig empty = PostpurchaseJson.read("{}", KajabiGrantOfferConfig.class, "config");

        assertThatThrownBy(() -> executor.validate(empty))
                .isInstanceOf(ValidationException.class)
                .satisfies(
                        e -> assertThat(((ValidationException) e).fields()).containsExactly("name", "activationUrl"));
        assertThat(empty.externalUserId()).isEqualTo(KajabiExternalUserId.NORMALISED_EMAIL);
    }

    @Test
    void theConfigRoundTripsThroughJsonAndNeverShowsTheUrlInToString() {
        KajabiGrantOfferConfig config = KajabiGrantOfferConfig.of(
                        "Grant",
                        Secret.of("https://checkout.kajabi.com/webhooks/offers/oD8Dhsn5yeg8ZynT/2150333211/activate"))
                .withSendOfferGrantEmail(true)
                .withHideLastName(true)
                .withExternalUserId(KajabiExternalUserId.EMAIL_MD5);

        String json = PostpurchaseJson.write(config);
        KajabiGrantOfferConfig back = PostpurchaseJson.read(json, KajabiGrantOfferConfig.class, "config");

        assertThat(back).isEqualTo(config);
        assertThat(config.toString())
                .doesNotContain("oD8Dhsn5yeg8ZynT")
                .doesNotContain("2150333211")
                .contains("https://checkout.kajabi.com/webhooks/offers/***/***/activate")
                .contains("hideLastName=true");
        assertThat(executor.toString()).doesNotContain(KajabiMock.TOKEN);
    }

    @Test
    void isIdempotentWithABoundedExponentialDefaultPolicy() {
        assertThat(executor.idempotent()).isTrue();
        assertThat(executor.type()).isEqualTo("kajabi-grant-offer");
        assertThat(executor.defaultRetryPolicy()).isInstanceOfSatisfying(ExponentialBackoffRetry.class, policy -> {
            assertThat(policy.maxRetries()).isEqualTo(10);
            assertThat(policy.max()).isEqualTo(Duration.ofHours(1));
        });
        assertThatThrownBy(() -> KajabiGrantOfferExecutor.builder().build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("integrationSettings");
    }
}
