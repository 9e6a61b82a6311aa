package dev.postpurchase.systemeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.IntegrationNotEnabledException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.event.TransactionInfo;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The executors inside a real pipeline with the in-memory store, against the fake Systeme.io. */
class SystemeIoPipelineTest extends FakeSystemeIoTest {
    private static final SystemeIoGrantAccessConfig GRANT =
            SystemeIoGrantAccessConfig.of("Course access", List.of("course-a", "vip"));

    private InMemoryDefinitionSource definitions;
    private ActionPipeline pipeline;

    @BeforeEach
    void startPipeline() {
        fake.addTag("course-a");
        fake.addTag("vip");
        fake.addTag("newsletter");
        SystemeIoGrantAccessExecutor grant = integration.grantAccessExecutor();
        SystemeIoRevokeAccessExecutor revoke = integration.revokeAccessExecutor();
        definitions = new InMemoryDefinitionSource(ActionExecutors.of(List.of(grant, revoke))::validate);
        definitions.save(ActionDefinition.builder(SystemeIoGrantAccessExecutor.TYPE)
                .id("grant-course")
                .name("Course access")
                .product("course-1")
                .config(GRANT)
                .build());
        definitions.save(ActionDefinition.builder(SystemeIoRevokeAccessExecutor.TYPE)
                .id("revoke-course")
                .name("Revoke course access")
                .checkout("refund-events")
                .config(SystemeIoRevokeAccessConfig.revoking(GRANT, ActionLevel.PRODUCT, "course-1"))
                .build());
        definitions.subscribe(Subscription.of("refunds", ShopEventType.REFUND_APPLIED, List.of("revoke-course")));
        pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(grant)
                .executor(revoke)
                .workers(4)
                .pollInterval(Duration.ofMillis(50))
                .build();
    }

    @AfterEach
    void stopPipeline() {
        pipeline.close();
    }

    @Test
    void anOrderGrantsAccessAndItsRefundRevokesIt() {
        Order order = order("o-1", "ada@example.com", "course-1");

        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        List<ActionRun> runs = pipeline.runsOfOrder("o-1");
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.type()).isEqualTo(SystemeIoGrantAccessExecutor.TYPE);
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.result()).contains("\"tagsAdded\":[\"course-a\",\"vip\"]");
        });
        assertThat(pipeline.progressOfOrder("o-1").completed()).isTrue();
        assertThat(fake.tagNamesOf("ada@example.com")).containsExactly("course-a", "vip");

        fake.addContactTagForTest("ada@example.com", "newsletter");
        ShopEvent refund = ShopEvent.builder("refund-1", ShopEventType.REFUND_APPLIED, EventSource.SHOP, Instant.now())
                .order(order)
                .transaction(new TransactionInfo("re-1", 9900, "EUR", "stripe", null))
                .build();
        pipeline.publish(refund);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(pipeline.runsOfEvent("refund-1")).singleElement().satisfies(run -> {
            assertThat(run.type()).isEqualTo(SystemeIoRevokeAccessExecutor.TYPE);
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.result()).contains("\"tagsRemoved\":[\"course-a\",\"vip\"]");
        });
        assertThat(fake.tagNamesOf("ada@example.com")).containsExactly("newsletter");
        assertThat(fake.assignments())
                .allSatisfy((pair, count) -> assertThat(count).isEqualTo(1));
    }

    @Test
    void submittingTheSameOrderAgainAddsNothing() {
        Order order = order("o-1", "ada@example.com", "course-1");

        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        int calls = fake.calls().size();
        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(fake.calls()).hasSize(calls);
        assertThat(fake.assignments()).hasSize(2).allSatisfy((pair, count) -> assertThat(count)
                .isEqualTo(1));
    }

    @Test
    void concurrentOrdersOfOneCustomerCreateOneContactAndAddEachTagOnce() {
        definitions.save(ActionDefinition.builder(SystemeIoGrantAccessExecutor.TYPE)
                .id("grant-bonus")
                .product("course-2")
                .config(SystemeIoGrantAccessConfig.of("Bonus", List.of("vip", "newsletter")))
                .build());
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            orders.add(order("o-" + i, "ada@example.com", i % 2 == 0 ? "course-1" : "course-2"));
        }

        orders.parallelStream().forEach(pipeline::submit);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(20))).isTrue();

        for (Order order : orders) {
            assertThat(pipeline.runsOfOrder(order.id()))
                    .allSatisfy(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED));
        }
        assertThat(fake.contactCount()).isEqualTo(1);
        assertThat(fake.tagNamesOf("ada@example.com")).containsExactlyInAnyOrder("course-a", "vip", "newsletter");
        assertThat(fake.assignments()).hasSize(3).allSatisfy((pair, count) -> assertThat(count)
                .isEqualTo(1));
    }

    @Test
    void aRateLimitedGrantWaitsForItsRetryInsteadOfFailing() {
        fake.scriptOnce(
                FakeSystemeIo.path("GET", "/api/contacts"),
                new MockResponse().setResponseCode(429).setHeader("Retry-After", "120"));
        Instant before = Instant.now();

        pipeline.submit(order("o-1", "ada@example.com", "course-1"));
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(pipeline.runsOfOrder("o-1")).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo(RunStatus.PENDING);
            assertThat(run.awaitingRetry()).isTrue();
            assertThat(run.lastStatusCode()).isEqualTo(429);
            assertThat(run.lastError()).contains("HTTP 429").contains("retry in 120 s");
            assertThat(run.nextAttemptAt()).isAfterOrEqualTo(before.plusSeconds(120));
        });
        assertThat(fake.assignments()).isEmpty();
    }

    @Test
    void aDefinitionCannotBeSavedWhileTheIntegrationIsOff() {
        settings.disable(SystemeIoIntegration.ID);

        assertThatThrownBy(() -> definitions.save(ActionDefinition.builder(SystemeIoGrantAccessExecutor.TYPE)
                        .id("grant-other")
                        .offer("offer-9")
                        .config(GRANT)
                        .build()))
                .isInstanceOf(IntegrationNotEnabledException.class);
    }

    @Test
    void aDefinitionWithATagNameTooLongForSystemeIoCannotBeSaved() {
        SystemeIoGrantAccessConfig tooLong =
                SystemeIoGrantAccessConfig.of("Course access", List.of("course-a", "vip", "t".repeat(65)));

        assertThatThrownBy(() -> definitions.save(ActionDefinition.builder(SystemeIoGrantAccessExecutor.TYPE)
                        .id("grant-long")
                        .offer("offer-9")
                        .config(tooLong)
                        .build()))
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("config.tags[2]"));
        assertThat(definitions.byId("grant-long")).isEmpty();
    }

    @Test
    void switchingTheIntegrationOffAfterSavingFailsTheRunWithAClearReason() {
        Order order = order("o-1", "ada@example.com", "course-1");
        ActionPipeline submitOnly = ActionPipeline.builder()
                .store(pipeline.store())
                .definitions(definitions)
                .executor(integration.grantAccessExecutor())
                .executor(integration.revokeAccessExecutor())
                .startWorkers(false)
                .build();
        pipeline.close();
        submitOnly.submit(order);
        settings.disable(SystemeIoIntegration.ID);

        try (ActionPipeline workers = ActionPipeline.builder()
                .store(pipeline.store())
                .definitions(definitions)
                .executor(integration.grantAccessExecutor())
                .executor(integration.revokeAccessExecutor())
                .pollInterval(Duration.ofMillis(50))
                .build()) {
            assertThat(workers.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(workers.runsOfOrder("o-1")).singleElement().satisfies(run -> {
                assertThat(run.status()).isEqualTo(RunStatus.FAILED);
                // The engine checks the integration the executor declares before every attempt, in one wording.
                assertThat(run.lastError()).contains("the Systeme.io integration is disabled");
            });
        }
        assertThat(fake.calls()).isEmpty();
    }
}
