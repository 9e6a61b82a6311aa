package dev.postpurchase.systemeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.IntegrationNotEnabledException;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.event.Contact;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.TransactionInfo;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.testing.TestRuns;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class SystemeIoRevokeAccessExecutorTest extends FakeSystemeIoTest {
    private static final Instant NOW = Instant.parse("2025-03-02T09:00:00Z");
    private static final SystemeIoRevokeAccessConfig COURSE = SystemeIoRevokeAccessConfig.revoking(
            SystemeIoGrantAccessConfig.of("Course access", List.of("course-a", "vip")),
            ActionLevel.PRODUCT,
            "course-1");

    private ExecutionOutcome run(SystemeIoRevokeAccessConfig config, @Nullable Order order, @Nullable ShopEvent event) {
        SystemeIoRevokeAccessExecutor executor = integration.revokeAccessExecutor();
        ActionDefinition definition = ActionDefinition.builder(SystemeIoRevokeAccessExecutor.TYPE)
                .id("revoke-course")
                .checkout("refunds")
                .config(config)
                .build();
        TriggerKind kind = event == null ? TriggerKind.ORDER : TriggerKind.EVENT;
        String triggerId = event == null ? order.id() : event.id();
        ActionRun run = TestRuns.claimed(
                ActionRun.create(kind, triggerId, definition, executor.defaultRetryPolicy(), NOW), "test-node", NOW);
        return ActionExecutors.attempt(
                executor, new ExecutionContext<>(run, config, order, event, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private static ShopEvent refund(String id, @Nullable Order order) {
        return ShopEvent.builder(id, ShopEventType.REFUND_APPLIED, EventSource.SHOP, NOW)
                .order(order)
                .transaction(new TransactionInfo("re-" + id, 9900, "EUR", "stripe", null))
                .build();
    }

    private ExecutionOutcome refundOf(Order order) {
        return run(COURSE, order, refund("refund-" + order.id(), order));
    }

    private static SystemeIoRevokeAccessExecutor.Result result(ExecutionOutcome outcome) {
        String json = outcome instanceof ExecutionOutcome.Succeeded s
                ? s.result()
                : ((ExecutionOutcome.RetryableFailure) outcome).partialResult();
        return PostpurchaseJson.read(json, SystemeIoRevokeAccessExecutor.Result.class, "result");
    }

    @Test
    void removesTheActionsTagsAndLeavesTheOthers() {
        long courseA = fake.addTag("course-a");
        long vip = fake.addTag("vip");
        fake.addTag("newsletter");
        long contactId = fake.addContact("ada@example.com", "course-a", "vip", "newsletter");

        ExecutionOutcome outcome = refundOf(order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(fake.lines())
                .containsExactly(
                        "GET /api/contacts?email=ada%40example.com&limit=10",
                        "DELETE /api/contacts/" + contactId + "/tags/" + courseA,
                        "DELETE /api/contacts/" + contactId + "/tags/" + vip);
        assertThat(fake.calls())
                .allSatisfy(c -> assertThat(c.header("X-API-Key")).isEqualTo(FakeSystemeIo.KEY));
        assertThat(fake.tagNamesOf("ada@example.com")).containsExactly("newsletter");
        assertThat(result(outcome))
                .isEqualTo(new SystemeIoRevokeAccessExecutor.Result(contactId, List.of("course-a", "vip"), List.of()));
    }

    @Test
    void onlyTagsTheContactCarriesAreRemovedSoAReRunRemovesNothing() {
        fake.addTag("course-a");
        fake.addTag("vip");
        long contactId = fake.addContact("ada@example.com", "vip");
        Order order = order("o-1", "ada@example.com", "course-1");

        ExecutionOutcome first = refundOf(order);
        ExecutionOutcome second = refundOf(order);

        assertThat(result(first).tagsRemoved()).containsExactly("vip");
        assertThat(result(first).tagsNotPresent()).containsExactly("course-a");
        assertThat(result(second).tagsRemoved()).isEmpty();
        assertThat(fake.lines().stream().filter(l -> l.startsWith("DELETE")))
                .containsExactly("DELETE /api/contacts/" + contactId + "/tags/" + fake.tagId("vip"));
    }

    @Test
    void noContactMeansNothingToRevoke() {
        ExecutionOutcome outcome = refundOf(order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(result(outcome).contactId()).isNull();
        assertThat(fake.lines()).containsExactly("GET /api/contacts?email=ada%40example.com&limit=10");
    }

    @Test
    void aRefundOfAnotherProductIsSkippedWithoutCallingSystemeIo() {
        ExecutionOutcome outcome = refundOf(order("o-1", "ada@example.com", "ebook-9"));

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.Skipped.class, s -> assertThat(s.reason())
                .isEqualTo("order o-1 has no product course-1; nothing to revoke"));
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void aPaidOrderNeverRevokes() {
        fake.addTag("course-a");
        fake.addContact("ada@example.com", "course-a");

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"), null);

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Skipped.class);
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void anEventWithoutOrderUsesItsContactWhenTheActionIsNotScoped() {
        fake.addTag("vip");
        long contactId = fake.addContact("grace@example.com", "vip");
        ShopEvent event = ShopEvent.builder("e-1", ShopEventType.SUBSCRIPTION_CANCELED, EventSource.SHOP, NOW)
                .contact(new Contact("c-1", "grace@example.com", "Grace", "Hopper"))
                .build();

        ExecutionOutcome outcome = run(SystemeIoRevokeAccessConfig.of("Revoke vip", List.of("vip")), null, event);

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(fake.lines()).contains("DELETE /api/contacts/" + contactId + "/tags/" + fake.tagId("vip"));
    }

    @Test
    void aScopedActionCannotJudgeAnEventWithoutOrder() {
        ExecutionOutcome outcome = run(COURSE, null, refund("e-2", null));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void aRateLimitedRemovalIsRetriedAfterTheWait() {
        fake.addTag("course-a");
        fake.addTag("vip");
        fake.addContact("ada@example.com", "course-a", "vip");
        fake.scriptOnce(
                FakeSystemeIo.path("DELETE", "/api/contacts/"),
                new MockResponse().setResponseCode(429).setHeader("Retry-After", "9"));

        ExecutionOutcome outcome = refundOf(order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isEqualTo(429);
            assertThat(r.failure().retryAfter()).isEqualTo(Duration.ofSeconds(9));
        });
    }

    @Test
    void validationNeedsTheIntegrationAndMatchingScopeFields() {
        SystemeIoRevokeAccessExecutor executor = integration.revokeAccessExecutor();
        executor.validate(COURSE);

        assertThatThrownBy(() -> executor.validate(
                        new SystemeIoRevokeAccessConfig("x", List.of("vip"), ActionLevel.OFFER, null)))
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("targetId"));

        settings.disable(SystemeIoIntegration.ID);
        assertThatThrownBy(() -> ActionExecutors.validateConfig(executor, COURSE))
                .isInstanceOf(IntegrationNotEnabledException.class);
        ExecutionOutcome outcome = refundOf(order("o-1", "ada@example.com", "course-1"));
        assertThat(outcome).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        assertThat(fake.calls()).isEmpty();
    }
}
