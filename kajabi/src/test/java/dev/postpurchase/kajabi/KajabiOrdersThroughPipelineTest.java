package dev.postpurchase.kajabi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.SubmitResult;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.testing.RecordingExecutor;
import dev.postpurchase.testing.TestDefinitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kajabi's webhooks feeding a real pipeline with an in-memory store: one set of runs per Kajabi transaction. */
class KajabiOrdersThroughPipelineTest {
    private final RecordingExecutor recorder = new RecordingExecutor("record");
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private ActionPipeline pipeline;

    @BeforeEach
    void start() {
        definitions.save(TestDefinitions.definition("receipt", "record", ActionLevel.CHECKOUT, "kajabi"));
        definitions.save(TestDefinitions.definition("grant-main", "record", ActionLevel.OFFER, "11111"));
        definitions.save(TestDefinitions.definition("grant-bump-1", "record", ActionLevel.OFFER, "22222"));
        definitions.save(TestDefinitions.definition("grant-bump-2", "record", ActionLevel.OFFER, "33333"));
        pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(recorder)
                .build();
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    @Test
    void theThreePurchaseCreatedEventsOfOneTransactionCreateOneSetOfRuns() throws InterruptedException {
        KajabiPurchaseCollector collector = KajabiPurchaseCollector.builder().build();
        List<SubmitResult> submitted = new ArrayList<>();

        for (int n : new int[] {2, 1, 3}) {
            collector.add(Fixtures.purchase(n)).map(pipeline::submit).ifPresent(submitted::add);
        }

        assertThat(submitted).hasSize(1);
        assertThat(submitted.get(0).created()).isTrue();
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        List<ActionRun> runs = pipeline.runsOfOrder("kajabi-55555");
        assertThat(runs)
                .extracting(ActionRun::definitionId)
                .containsExactlyInAnyOrder("receipt", "grant-main", "grant-bump-1", "grant-bump-2");
        assertThat(runs).allMatch(run -> run.status() == RunStatus.SUCCEEDED);
        assertThat(recorder.executions()).hasSize(4);
        assertThat(pipeline.progressOfOrder("kajabi-55555").completed()).isTrue();
        Order stored = recorder.executions().get(0).order();
        assertThat(stored.totals().total()).isEqualTo(9000);
    }

    @Test
    void convertingAndSubmittingEachEventAgainCreatesNothingNew() {
        Order order = KajabiOrderConverter.defaults()
                .fromPurchases(List.of(Fixtures.purchase(1), Fixtures.purchase(2), Fixtures.purchase(3)));
        SubmitResult first = pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        KajabiPurchaseCollector collector = KajabiPurchaseCollector.builder().build();
        List<SubmitResult> again = new ArrayList<>();
        for (int n : new int[] {3, 2, 1}) {
            Optional<Order> converted = collector.add(Fixtures.purchase(n));
            converted.map(pipeline::submit).ifPresent(again::add);
        }
        again.add(pipeline.submit(KajabiOrderConverter.defaults()
                .fromPayment(KajabiWebhooks.parsePaymentSucceeded(
                        Fixtures.read("payment-succeeded-primary-plus-two-bumps.json")))));

        assertThat(first.created()).isTrue();
        assertThat(again).hasSize(2).noneMatch(SubmitResult::created);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.runsOfOrder("kajabi-55555")).hasSize(4);
        assertThat(recorder.executions()).hasSize(4);
    }
}
