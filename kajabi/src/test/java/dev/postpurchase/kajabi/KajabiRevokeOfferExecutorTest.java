package dev.postpurchase.kajabi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.IntegrationNotEnabledException;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.TransactionInfo;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.IntegrationSettings;
import java.io.IOException;
import java.time.Duration;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KajabiRevokeOfferExecutorTest {
    private final KajabiMock kajabi = new KajabiMock();
    private final InMemoryIntegrationSettings settings =
            IntegrationSettings.inMemory().enable("kajabi");
    private final KajabiRevokeOfferExecutor executor = KajabiRevokeOfferExecutor.builder()
            .integrationSettings(settings)
            .httpClient(kajabi.client)
            .allowDevelopmentBaseUrl(kajabi.base)
            .build();
    private final Order order = KajabiMock.order("order-1", "Jane.Smith@Example.com", "Jane", "Smith");

    @AfterEach
    void stop() throws IOException {
        kajabi.close();
    }

    private KajabiRevokeOfferConfig config() {
        ActionDefinition grant = ActionDefinition.builder(KajabiGrantOfferExecutor.TYPE)
                .id("grant-1")
                .name("Grant")
                .offer("offer-main")
                .config(KajabiGrantOfferConfig.of("Main course", kajabi.activationUrl())
                        .withHideLastName(true)
                        .withSendOfferGrantEmail(true))
                .build();
        return KajabiRevokeOfferConfig.forGrant(grant);
    }

    private ShopEvent refund(long amount) {
        return ShopEvent.builder("refund-1", ShopEventType.REFUND_APPLIED, EventSource.SHOP, KajabiMock.NOW)
                .order(order)
                .transaction(new TransactionInfo("refund-tx", amount, "EUR", "stripe", null))
                .build();
    }

    private ExecutionOutcome revoke(KajabiRevokeOfferConfig config, ShopEvent event) {
        executor.validate(config);
        return ActionExecutors.attempt(
                executor, KajabiMock.context(KajabiRevokeOfferExecutor.TYPE, config, order, event));
    }

    @Test
    void forGrantDerivesTheDeactivationUrlAndKeepsTheGrantsRules() {
        KajabiRevokeOfferConfig config = config();

        assertThat(config.deactivationUrl())
                .isEqualTo(Secret.of(
                        kajabi.base + "webhooks/offers/" + KajabiMock.TOKEN + "/" + KajabiMock.OFFER + "/deactivate"));
        assertThat(config.name()).isEqualTo("Revoke Main course");
        assertThat(config.hideLastName()).isTrue();
        assertThat(config.externalUserId()).isEqualTo(KajabiExternalUserId.NORMALISED_EMAIL);
        assertThat(config.grantLevel()).isEqualTo(ActionLevel.OFFER);
        assertThat(config.grantTargetId()).isEqualTo("offer-main");
        assertThat(config.revokeOnPartialRefund()).isFalse();
        assertThat(config.toString()).doesNotContain(KajabiMock.TOKEN).doesNotContain(KajabiMock.OFFER);
    }

    @Test
    void postsTheSameMemberDetailsToTheDeactivationUrlWithoutTheGrantEmail() {
        kajabi.answer(200, "{\"status\":\"ok\"}");

        ExecutionOutcome outcome = revoke(config(), refund(9900));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        RecordedRequest request = kajabi.take();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getRequestUrl().encodedPath()).endsWith("/" + KajabiMock.OFFER + "/deactivate");
        assertThat(request.getRequestUrl().query()).isNull();
        JsonNode body = KajabiMock.json(request);
        assertThat(body.get("name").asText()).isEqualTo("Jane S");
        assertThat(body.get("email").asText()).isEqualTo("Jane.Smith@Example.com");
        assertThat(body.get("external_user_id").asText()).isEqualTo("jane.smith@example.com");
    }

    @Test
    void sharesTheGrantsRetryPolicyIdempotencyAndRequiredSettingsAndSendsTheRunsKey() {
        kajabi.answer(200, "{\"status\":\"ok\"}");

        ExecutionOutcome outcome = revoke(config(), refund(9900));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(kajabi.take().getHeader("Idempotency-Key"))
                .isEqualTo(KajabiMock.context(KajabiRevokeOfferExecutor.TYPE, config(), order, refund(9900))
                        .idempotencyKey());
        KajabiGrantOfferExecutor grant = KajabiGrantOfferExecutor.builder()
                .integrationSettings(settings)
                .httpClient(kajabi.client)
                .build();
        assertThat(executor.idempotent()).isTrue();
        assertThat(executor.defaultRetryPolicy())
                .isEqualTo(grant.defaultRetryPolicy())
                .isEqualTo(RetryPolicy.exponential(Duration.ofSeconds(30), Duration.ofHours(1), 10));
        assertThatThrownBy(() -> KajabiRevokeOfferExecutor.builder().build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("integrationSettings");
    }

    @Test
    void grantNotFoundCountsAsDone() {
        kajabi.answer(404, "{\"errors\":[\"Offer grant not found for offer on member\"]}");

        ExecutionOutcome outcome = revoke(config(), refund(9900));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(((ExecutionOutcome.Succeeded) outcome).result()).startsWith("nothing to revoke");
    }

    @Test
    void serverErrorsAreRetryableAndInputErrorsPermanent() {
        kajabi.answer(502, "");
        kajabi.answer(422, "{\"errors\":{\"external_user_id\":[\"can't be blank\"]}}");

        ExecutionOutcome retry = revoke(config(), refund(9900));
        ExecutionOutcome permanent = revoke(config(), refund(9900));

        assertThat(retry).isInstanceOf(ExecutionOutcome.RetryableFailure.class);
        assertThat(permanent).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        assertThat(((ExecutionOutcome.PermanentFailure) permanent).reason())
                .isEqualTo("Kajabi refused the offer revoke (HTTP 422): external_user_id: can't be blank");
    }

    @Test
    void aRefundOfAnOrderWithoutTheGrantedOfferIsSkippedWithoutACall() {
        Order other = KajabiMock.order("order-9", "jane.smith@example.com", "Jane", "Smith");
        KajabiRevokeOfferConfig forAnotherOffer = new KajabiRevokeOfferConfig(
                "Revoke other", kajabi.deactivationUrl(), false, null, ActionLevel.OFFER, "offer-other", false);
        executor.validate(forAnotherOffer);

        ExecutionOutcome outcome = ActionExecutors.attempt(
                executor, KajabiMock.context(KajabiRevokeOfferExecutor.TYPE, forAnotherOffer, other, refund(9900)));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Skipped.class);
        assertThat(((ExecutionOutcome.Skipped) outcome).reason()).contains("has no offer offer-other");
        assertThat(kajabi.server.getRequestCount()).isZero();
    }

    @Test
    void aPartialRefundKeepsAccessUnlessConfiguredOtherwise() {
        ExecutionOutcome skipped = revoke(config(), refund(1000));

        assertThat(skipped).isInstanceOf(ExecutionOutcome.Skipped.class);
        assertThat(((ExecutionOutcome.Skipped) skipped).reason()).contains("partial refund (1000 of 9900");
        assertThat(kajabi.server.getRequestCount()).isZero();

        kajabi.answer(200, "{}");
        ExecutionOutcome revoked = revoke(config().withRevokeOnPartialRefund(true), refund(1000));
        assertThat(revoked).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(kajabi.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void anEventWithoutAnOrderFailsPermanently() {
        ShopEvent bare = ShopEvent.builder("refund-2", ShopEventType.REFUND_APPLIED, EventSource.SHOP, KajabiMock.NOW)
                .build();
        var context = KajabiMock.context(KajabiRevokeOfferExecutor.TYPE, config(), order, bare);
        var withoutOrder = new dev.postpurchase.core.spi.ExecutionContext<>(
                context.run(), context.config(), null, bare, context.clock());

        ExecutionOutcome outcome = ActionExecutors.attempt(executor, withoutOrder);

        assertThat(outcome).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        assertThat(((ExecutionOutcome.PermanentFailure) outcome).reason()).contains("needs an order");
    }

    @Test
    void theIntegrationSwitchAppliesToRevokesToo() {
        settings.disable("kajabi");

        assertThatThrownBy(() -> ActionExecutors.validateConfig(executor, config()))
                .isInstanceOf(IntegrationNotEnabledException.class);
        ExecutionOutcome outcome = ActionExecutors.attempt(
                executor, KajabiMock.context(KajabiRevokeOfferExecutor.TYPE, config(), order, refund(9900)));
        assertThat(outcome).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        assertThat(((ExecutionOutcome.PermanentFailure) outcome).reason()).contains("Kajabi integration is disabled");
        assertThat(kajabi.server.getRequestCount()).isZero();
    }

    @Test
    void refusesActivationUrlsAndHalfSetGrantTargets() {
        KajabiRevokeOfferConfig wrong =
                new KajabiRevokeOfferConfig("x", kajabi.activationUrl(), false, null, ActionLevel.OFFER, null, false);

        assertThatThrownBy(() -> executor.validate(wrong))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).fields())
                        .containsExactly("deactivationUrl", "grantTargetId"))
                .hasMessageContaining("use its deactivate URL")
                .hasMessageNotContaining(KajabiMock.TOKEN);
        assertThatThrownBy(() -> KajabiRevokeOfferConfig.forGrant(ActionDefinition.builder("webhook")
                        .id("w")
                        .offer("o")
                        .config(java.util.Map.of())
                        .build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("kajabi-grant-offer");
    }
}
