package dev.postpurchase.micrometer;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.spi.PipelineObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The metrics of a pipeline's work on this node, as a {@link PipelineObserver}: give it to the pipeline's builder.
 *
 * <pre>{@code
 * PipelineMetrics metrics = new PipelineMetrics(registry);
 * ActionPipeline pipeline = ActionPipeline.builder()...observer(metrics).build();
 * RunCountGauges gauges = RunCountGauges.start(registry, pipeline::countRuns, Duration.ofSeconds(30));
 * }</pre>
 *
 * <table>
 *   <caption>Meters (every one also carries the common tags given to the constructor)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>counter</td><td>{@code type}, {@code outcome}</td>
 *       <td>attempts made; outcome {@code succeeded}, {@code skipped}, {@code retry_scheduled} or {@code failed}</td></tr>
 *   <tr><td>{@value #ATTEMPT_DURATION}</td><td>timer</td><td>{@code type}, {@code outcome}</td>
 *       <td>how long the executor took</td></tr>
 *   <tr><td>{@value #SUBMIT_TO_START}</td><td>timer</td><td>{@code type}</td>
 *       <td>from a run's creation to the start of its first attempt</td></tr>
 *   <tr><td>{@value #CLAIM_DURATION}</td><td>timer</td><td></td><td>how long one claim statement took</td></tr>
 *   <tr><td>{@value #CLAIMED_RUNS}</td><td>distribution summary</td><td></td><td>runs taken per claim</td></tr>
 *   <tr><td>{@value #OUTCOME_BATCH_SIZE}</td><td>distribution summary</td><td></td>
 *       <td>outcomes recorded per store transaction</td></tr>
 *   <tr><td>{@value #OUTCOME_BATCH_DURATION}</td><td>timer</td><td></td>
 *       <td>how long recording one batch took</td></tr>
 * </table>
 *
 * <p>Tags stay low in cardinality: the action type (one per registered executor) and the outcome, never an order,
 * run or trigger id. Thread-safe.
 */
public final class PipelineMetrics implements PipelineObserver {
    /** Counter of attempts by type and outcome. */
    public static final String ATTEMPTS = "postpurchase.attempts";
    /** Timer of attempts by type and outcome. */
    public static final String ATTEMPT_DURATION = "postpurchase.attempt.duration";
    /** Timer from a run's creation to its first attempt, by type. */
    public static final String SUBMIT_TO_START = "postpurchase.submit.to.start";
    /** Timer of claim statements. */
    public static final String CLAIM_DURATION = "postpurchase.claim.duration";
    /** Distribution of the runs one claim took. */
    public static final String CLAIMED_RUNS = "postpurchase.claim.runs";
    /** Distribution of the outcomes recorded per store transaction. */
    public static final String OUTCOME_BATCH_SIZE = "postpurchase.outcome.batch.size";
    /** Timer of outcome batch writes. */
    public static final String OUTCOME_BATCH_DURATION = "postpurchase.outcome.batch.duration";

    private final MeterRegistry registry;
    private final Tags common;
    private final Timer claimDuration;
    private final DistributionSummary claimedRuns;
    private final DistributionSummary batchSize;
    private final Timer batchDuration;

    /** Metrics without common tags. */
    public PipelineMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * @param commonTags added to every meter, for example {@code pipeline=orders} when one application runs several
     *     pipelines; keep them few and of low cardinality
     */
    public PipelineMetrics(MeterRegistry registry, Iterable<Tag> commonTags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.common = Tags.of(Objects.requireNonNull(commonTags, "commonTags"));
        this.claimDuration = Timer.builder(CLAIM_DURATION)
                .description("How long one claim of due runs took in the store")
                .tags(common)
                .register(registry);
        this.claimedRuns = DistributionSummary.builder(CLAIMED_RUNS)
                .description("Runs taken by one claim")
                .baseUnit("runs")
                .tags(common)
                .register(registry);
        this.batchSize = DistributionSummary.builder(OUTCOME_BATCH_SIZE)
                .description("Attempt outcomes recorded in one store transaction")
                .baseUnit("outcomes")
                .tags(common)
                .register(registry);
        this.batchDuration = Timer.builder(OUTCOME_BATCH_DURATION)
                .description("How long recording one batch of outcomes took, retries included")
                .tags(common)
                .register(registry);
    }

    @Override
    public void claimed(int asked, int claimed, Duration latency) {
        claimDuration.record(latency);
        claimedRuns.record(claimed);
    }

    @Override
    public AttemptObservation attemptStarted(ActionRun run, Instant startedAt, @Nullable String traceParent) {
        String type = run.type();
        if (run.totalAttempts() == 1) {
            Duration waited = Duration.between(run.createdAt(), startedAt);
            // the store may stamp creation with its own clock: a skew must not give a negative wait
            Timer.builder(SUBMIT_TO_START)
                    .description("From a run's creation to the start of its first attempt")
                    .tags(common)
                    .tag("type", type)
                    .register(registry)
                    .record(waited.isNegative() ? Duration.ZERO : waited);
        }
        return (attempt, took) -> {
            String outcome = outcome(attempt.outcome());
            Counter.builder(ATTEMPTS)
                    .description("Attempts of actions by type and outcome")
                    .tags(common)
                    .tag("type", type)
                    .tag("outcome", outcome)
                    .register(registry)
                    .increment();
            Timer.builder(ATTEMPT_DURATION)
                    .description("How long an action's executor took")
                    .tags(common)
                    .tag("type", type)
                    .tag("outcome", outcome)
                    .register(registry)
                    .record(took);
        };
    }

    @Override
    public void outcomesRecorded(int size, Duration latency) {
        batchSize.record(size);
        batchDuration.record(latency);
    }

    private static String outcome(AttemptRecord.Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }
}
