package dev.postpurchase.core;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.BulkResult;
import dev.postpurchase.core.action.FieldChange;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.RerunPreview;
import dev.postpurchase.core.action.RunCounts;
import dev.postpurchase.core.action.RunPage;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.RunSnapshot;
import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.action.TriggerProgress;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.internal.AwaitingCommit;
import dev.postpurchase.core.internal.ConfigDiff;
import dev.postpurchase.core.internal.DefinitionResolver;
import dev.postpurchase.core.internal.Listeners;
import dev.postpurchase.core.internal.Observers;
import dev.postpurchase.core.internal.PipelineSettings;
import dev.postpurchase.core.internal.RunEngine;
import dev.postpurchase.core.internal.TriggerPayloads;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.CreateResult;
import dev.postpurchase.core.spi.DefinitionSource;
import dev.postpurchase.core.spi.PipelineObserver;
import dev.postpurchase.core.spi.Requeue;
import dev.postpurchase.core.spi.TransactionJoining;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: takes paid orders and shop events, creates their runs in the store, executes them on a bounded
 * worker pool with retries, leases and recovery, and lets staff re-run single actions.
 *
 * <pre>{@code
 * ActionPipeline pipeline = ActionPipeline.builder()
 *         .store(ActionStateStore.inMemory())
 *         .definitions(definitions)
 *         .executor(new MyExecutor())
 *         .build();                       // started: workers are running
 * pipeline.submit(order);                 // idempotent, returns at once
 * }</pre>
 *
 * <p>Thread-safe. Several pipelines (in one process or many) may share one store: each run is executed by one of
 * them. {@link #close()} stops this node gracefully; runs it could not finish stay recoverable.
 */
public final class ActionPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActionPipeline.class);

    private final ActionStateStore store;
    private final DefinitionSource definitions;
    private final ActionExecutors executors;
    private final DefinitionResolver resolver;
    private final PipelineSettings settings;
    private final Listeners listeners;
    private final TriggerPayloads payloads;
    private final AwaitingCommit awaiting;
    private final Duration shutdownDeadline;
    private final @Nullable RunEngine engine;

    private ActionPipeline(
            Builder b, ActionStateStore store, DefinitionSource definitions, Duration heartbeatInterval) {
        this.store = store;
        this.definitions = definitions;
        this.executors = ActionExecutors.of(b.executors);
        this.resolver = new DefinitionResolver(definitions);
        this.settings = new PipelineSettings(
                b.nodeId,
                b.workers,
                b.claimBatch,
                b.pollInterval,
                b.leaseDuration,
                heartbeatInterval,
                b.clock,
                Observers.of(b.observers));
        this.listeners = new Listeners(b.listeners);
        this.payloads = new TriggerPayloads(store);
        this.shutdownDeadline = b.shutdownDeadline;
        this.awaiting = new AwaitingCommit(settings.pollInterval());
        this.engine = b.startWorkers ? new RunEngine(store, executors, settings, listeners, payloads, awaiting) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The executors of this pipeline; use {@link ActionExecutors#validate} when a definition is saved. */
    public ActionExecutors executors() {
        return executors;
    }

    /** The store this pipeline writes to. */
    public ActionStateStore store() {
        return store;
    }

    /**
     * Creates the runs of a paid order: the checkout's actions, the actions of each offer the order was placed
     * through, and each distinct product's actions, each enabled definition once, with its config snapshotted now.
     * For a later payment of a purchase (a renewal or an instalment, {@link Order#payment()}) only the definitions
     * that run on every payment are included ({@link ActionExecutors#runsOn}); the others ran for the first payment.
     * Idempotent on the order id: a second submit creates nothing and returns the existing runs. Returns at once;
     * the runs start on the worker pool without polling delay.
     *
     * <p>A definition that cannot run as configured (unknown type, invalid config) does not refuse the order: its
     * run is created FAILED with the reason, and the order's other actions run.
     */
    public SubmitResult submit(Order order) {
        Objects.requireNonNull(order, "order");
        List<ActionDefinition> applicable = resolver.forOrder(order).stream()
                .filter(definition -> executors.runsOn(definition, order.payment()))
                .toList();
        TriggerPayloads.Payload payload = new TriggerPayloads.Payload(order, null);
        return create(TriggerKind.ORDER, order.id(), PostpurchaseJson.write(order), applicable, payload);
    }

    /**
     * Creates the runs of a shop event: the definitions of every enabled subscription of the event's type whose
     * source filter matches, nothing when the event type is switched off. Idempotent on the event id.
     *
     * <p>A subscribed definition that cannot run as configured gets a FAILED run with the reason, as for orders.
     */
    public SubmitResult publish(ShopEvent event) {
        Objects.requireNonNull(event, "event");
        List<ActionDefinition> applicable = resolver.forEvent(event);
        TriggerPayloads.Payload payload = new TriggerPayloads.Payload(event.order(), event);
        return create(TriggerKind.EVENT, event.id(), PostpurchaseJson.write(event), applicable, payload);
    }

    /**
     * {@link #submit(Order)} inside the caller's open transaction on {@code connection}: the order's runs are
     * written on that connection and commit (or roll back) with the shop's own rows, for example the row that marks
     * the order paid. The pipeline never commits, rolls back or closes the connection. Needs a store that can join
     * a transaction ({@link TransactionJoining}: the JDBC store). Listeners hear of the runs only once the caller
     * commits (see {@link PipelineListener}); the workers find them at that commit (on PostgreSQL its notification
     * wakes every node, this one included) or at their next poll.
     *
     * @throws ValidationException naming {@code store} when the store cannot join a transaction
     */
    public SubmitResult submit(Connection connection, Order order) {
        return joined(connection, () -> submit(order));
    }

    /** {@link #publish(ShopEvent)} inside the caller's open transaction, as {@link #submit(Connection, Order)}. */
    public SubmitResult publish(Connection connection, ShopEvent event) {
        return joined(connection, () -> publish(event));
    }

    private SubmitResult joined(Connection connection, Supplier<SubmitResult> work) {
        Objects.requireNonNull(connection, "connection");
        if (!(store instanceof TransactionJoining joining)) {
            throw new ValidationException(
                    "store",
                    store.getClass().getSimpleName() + " cannot join a JDBC transaction; use the JDBC store, or"
                            + " submit(order) without a connection");
        }
        return joining.joinTransaction(connection, work);
    }

    private SubmitResult create(
            TriggerKind kind,
            String triggerId,
            String payloadJson,
            List<ActionDefinition> applicable,
            TriggerPayloads.Payload payload) {
        Instant now = settings.clock().instant();
        List<ActionRun> runs = new ArrayList<>(applicable.size());
        for (ActionDefinition definition : applicable) {
            if (appliesTo(definition, kind)) {
                runs.add(newRun(kind, triggerId, definition, now));
            }
        }
        Order about = payload.order();
        String traceParent = settings.observer().traceParent();
        Trigger trigger =
                new Trigger(kind, triggerId, payloadJson, now, null, about == null ? null : about.id(), traceParent);
        CreateResult result = store.create(trigger, runs);
        if (result.created()) {
            LOG.info("{} submitted with {} action(s)", trigger.key(), runs.size());
            List<ActionRun> created = result.runs();
            TriggerCompletion completion = result.completion();
            Runnable report = () -> {
                payloads.remember(trigger.key(), payload, traceParent);
                created.forEach(listeners::runChanged);
                if (completion != null) {
                    listeners.triggerCompleted(completion);
                }
            };
            // what identifies this write when it is read back: the store's creation time of its runs, or (no runs)
            // of its completion; the same order written again after a rollback has others
            if (created.isEmpty()) {
                Instant completedAt = completion == null ? null : completion.completedAt();
                afterCommit(
                        trigger.key(),
                        List.of(),
                        run -> false,
                        () -> store.trigger(kind, triggerId)
                                .map(stored -> Objects.equals(stored.completedAt(), completedAt))
                                .orElse(false),
                        report);
            } else {
                Map<String, Instant> createdAt = new HashMap<>();
                created.forEach(run -> createdAt.put(run.id(), run.createdAt()));
                Predicate<ActionRun> written = run -> run.createdAt().equals(createdAt.get(run.id()));
                ActionRun first = created.get(0);
                afterCommit(
                        trigger.key(),
                        created.stream().map(ActionRun::id).toList(),
                        written,
                        () -> store.run(first.id()).map(written::test).orElse(false),
                        report);
            }
        } else {
            LOG.debug("{} was submitted before; nothing created", trigger.key());
        }
        return new SubmitResult(trigger.key(), result.created(), result.runs());
    }

    /**
     * Reports a run changed here to the listeners, and wakes the workers, once the change is committed. The change is
     * proven committed by a claim that took the run at the next version, or by reading the run back in the state the
     * change left (or RUNNING at the next version: claimed since); a rolled-back change leaves the run at the version
     * before it, so the first claim after it writes this change's version, which proves nothing. A change overtaken
     * by others before it is seen is reported by them, not by itself.
     */
    private void reportChange(ActionRun changed) {
        long version = changed.version();
        afterCommit(
                "run:" + changed.id(),
                List.of(changed.id()),
                claimed -> claimed.version() == version + 1,
                () -> store.run(changed.id())
                        .map(stored -> stored.version() == version
                                ? stored.state().equals(changed.state())
                                : stored.version() == version + 1 && stored.status() == RunStatus.RUNNING)
                        .orElse(false),
                () -> listeners.runChanged(changed));
    }

    /**
     * Runs {@code report} (what listeners hear of a write, and what this node keeps of it) and wakes the workers once
     * the write is committed: at once when the store committed it itself; after the commit of a caller's transaction
     * the store joined, when the store sees that commit (Spring's); else once {@link AwaitingCommit} sees it (a claim
     * of one of {@code runIds} that {@code written} recognises, or {@code committed} reading it back). PostgreSQL's
     * NOTIFY at that commit wakes the workers of every node as well.
     */
    private void afterCommit(
            String key, List<String> runIds, Predicate<ActionRun> written, BooleanSupplier committed, Runnable report) {
        Runnable reportAndWake = () -> {
            report.run();
            wakeUp();
        };
        if (store instanceof TransactionJoining joining && joining.inCallersTransaction()) {
            if (!joining.afterCallersCommit(reportAndWake)) {
                awaiting.add(key, runIds, written, committed, reportAndWake);
            }
            return;
        }
        awaiting.supersede(key); // an earlier write of it in a caller's transaction, if still unseen, rolled back
        reportAndWake.run();
    }

    /**
     * The run of one definition, PENDING; or FAILED with the reason when the definition cannot run as configured (an
     * unknown type, a level its executor refuses, an invalid config): a merchant's mistake in one template must not
     * refuse the paid order, whose other actions still run. Staff see the reason on the run and, once the template
     * is fixed, re-run it with "use latest template". An integration switched off since the definition was saved
     * does not fail the run here: it fails when it executes, with that reason, and can be re-run once it is back on.
     */
    private ActionRun newRun(TriggerKind kind, String triggerId, ActionDefinition definition, Instant now) {
        try {
            executors.validate(definition);
        } catch (IntegrationNotEnabledException e) {
            LOG.warn(
                    "definition {} needs the {} integration, which is off; its run will fail until it is back on",
                    definition.id(),
                    e.integration());
        } catch (ValidationException e) {
            LOG.warn("definition {} is invalid; its run is created FAILED: {}", definition.id(), e.getMessage());
            RetryPolicy policy = definition.retryPolicy() != null ? definition.retryPolicy() : RetryPolicy.none();
            return new ActionRun(
                    RunSnapshot.of(kind, triggerId, definition, policy, now),
                    RunState.failedAtCreation("the action's definition is invalid: " + e.getMessage(), now));
        }
        return ActionRun.create(kind, triggerId, definition, executors.policyFor(definition), now);
    }

    /** False when the definition's executor does not take this kind of trigger; unknown types are kept (FAILED). */
    private boolean appliesTo(ActionDefinition definition, TriggerKind kind) {
        return executors
                .find(definition.type())
                .map(e -> e.triggerKinds().contains(kind))
                .orElse(true);
    }

    /**
     * Re-runs one action without touching the others. A FAILED or PENDING run is re-run as asked; a SUCCEEDED run
     * only with {@link RerunOptions#acknowledgeSucceeded()}; a RUNNING run only with {@link RerunOptions#force()}.
     * With {@link RerunOptions#useLatestTemplate()} the snapshot is replaced for good by the definition's current
     * template (validated first): name, level, target, config and retry policy together. The run gets a fresh
     * attempt budget and is due at once. An acknowledged or forced re-run is a new delivery: the run gets a new
     * idempotency key (see {@link ActionRun#idempotencyKey()}). If it was the last run that had not succeeded and it
     * now succeeds, the order becomes COMPLETED and that is reported once.
     *
     * @return the run as re-queued (PENDING)
     * @throws NotFoundException when the run, or its definition for "use latest template", does not exist
     * @throws ConflictException when an acknowledgement or force is missing, or the run changed meanwhile
     * @throws ValidationException when the latest template is invalid
     */
    public ActionRun rerun(String runId, RerunOptions options) {
        ActionRun run = store.run(runId).orElseThrow(() -> new NotFoundException("no run with id " + runId));
        if (run.status() == RunStatus.RUNNING && !options.force()) {
            throw new ConflictException(
                    "run " + runId + " is RUNNING; re-running it needs force (two executions" + " may overlap)");
        }
        if (run.status() == RunStatus.SUCCEEDED && !options.acknowledgeSucceeded()) {
            throw new ConflictException("run " + runId + " has SUCCEEDED; re-running it fires its side effects"
                    + " again and needs acknowledgeSucceeded");
        }
        String refusal = manualRerunRefusal(run);
        if (refusal != null) {
            throw new ConflictException(refusal);
        }
        RunSnapshot latest = null;
        if (options.useLatestTemplate()) {
            ActionDefinition definition = definitions
                    .byId(run.definitionId())
                    .orElseThrow(() -> new NotFoundException(
                            "definition " + run.definitionId() + " of run " + runId + " no longer exists"));
            if (!definition.type().equals(run.type())) {
                throw new ValidationException(
                        "type",
                        "definition " + definition.id() + " is now of type " + definition.type()
                                + ", the run is of type " + run.type());
            }
            executors.validate(definition);
            latest = run.snapshot().withTemplate(definition, executors.policyFor(definition));
        }
        boolean redeliver = run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.RUNNING;
        ActionRun requeued = store.requeue(
                        new Requeue(run, latest, redeliver), settings.clock().instant())
                .orElseThrow(() -> new ConflictException(
                        "run " + runId + " changed while it was being re-run; reload and try again"));
        LOG.info("run {} re-run (latest template: {}, was {})", runId, options.useLatestTemplate(), run.status());
        reportChange(requeued);
        return requeued;
    }

    /** Why the run's executor refuses a manual re-run of it (a postback of an event not on its list), or null. */
    private @Nullable String manualRerunRefusal(ActionRun run) {
        Optional<ActionExecutor<?>> executor = executors.find(run.type());
        if (executor.isEmpty()) {
            return null;
        }
        ShopEvent event = run.triggerKind() == TriggerKind.EVENT
                ? payloads.of(run, List.of()).event()
                : null;
        return executor.get().manualRerunRefusal(run, event);
    }

    /**
     * What {@link #rerun} would do with these options, without doing it: whether it would go ahead (and if not, why),
     * the warnings of the re-run dialog (side effects firing again for a SUCCEEDED run, a RUNNING run that may still
     * be running elsewhere, a new idempotency key), and with "use latest template" each snapshot field that would
     * change, secrets masked.
     *
     * @throws NotFoundException when the run does not exist
     */
    public RerunPreview previewRerun(String runId, RerunOptions options) {
        ActionRun run = store.run(runId).orElseThrow(() -> new NotFoundException("no run with id " + runId));
        List<String> warnings = new ArrayList<>();
        String blockedBy = null;
        if (run.status() == RunStatus.SUCCEEDED) {
            warnings.add("this action has SUCCEEDED: re-running it fires its side effects again (a second email, a"
                    + " second webhook call)");
            if (!options.acknowledgeSucceeded()) {
                blockedBy = "re-running a SUCCEEDED action needs acknowledgeSucceeded";
            }
        }
        if (run.status() == RunStatus.RUNNING) {
            Instant heartbeat = run.heartbeatAt();
            warnings.add("this action is RUNNING on " + run.owner()
                    + (heartbeat == null ? "" : " (last heartbeat " + heartbeat + ")")
                    + ": it may still be running there, and two executions may overlap");
            if (!options.force()) {
                blockedBy = "re-running a RUNNING action needs force";
            }
        }
        boolean newDelivery = run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.RUNNING;
        if (newDelivery) {
            warnings.add("it is a new delivery: receivers see a new idempotency key and do not drop it");
        }
        String refusal = manualRerunRefusal(run);
        if (refusal != null && blockedBy == null) {
            blockedBy = refusal;
        }
        List<FieldChange> changes = new ArrayList<>();
        if (options.useLatestTemplate()) {
            Optional<ActionDefinition> definition = definitions.byId(run.definitionId());
            if (definition.isEmpty()) {
                blockedBy = blockedBy != null
                        ? blockedBy
                        : "definition " + run.definitionId() + " no longer exists: there is no latest template";
            } else {
                ActionDefinition latest = definition.get();
                addIfChanged(changes, ConfigDiff.field("name", run.name(), latest.name()));
                addIfChanged(
                        changes,
                        ConfigDiff.field(
                                "level", run.level().name(), latest.level().name()));
                addIfChanged(changes, ConfigDiff.field("targetId", run.targetId(), latest.targetId()));
                changes.addAll(ConfigDiff.of(run.configJson(), latest.configJson()));
                try {
                    executors.validate(latest);
                    addIfChanged(
                            changes,
                            ConfigDiff.field(
                                    "retryPolicy",
                                    PostpurchaseJson.write(run.retryPolicy()),
                                    PostpurchaseJson.write(executors.policyFor(latest))));
                } catch (ValidationException e) {
                    blockedBy = blockedBy != null ? blockedBy : "the latest template is invalid: " + e.getMessage();
                }
            }
        }
        return new RerunPreview(run, options, blockedBy, warnings, changes, newDelivery);
    }

    private static void addIfChanged(List<FieldChange> changes, @Nullable FieldChange change) {
        if (change != null) {
            changes.add(change);
        }
    }

    /**
     * Re-runs every run a query matches (up to {@code cap}), each as {@link #rerun} would with {@code options}; runs
     * it would refuse (a missing acknowledgement or force, a changed run) are skipped with the reason. With {@code
     * dryRun} nothing changes and the answer says what would happen.
     *
     * @throws ValidationException when {@code cap} is not between 1 and 10000
     */
    public BulkResult rerunAll(RunQuery query, RerunOptions options, int cap, boolean dryRun) {
        return bulk(query, cap, dryRun, run -> {
            RerunPreview preview = previewRerun(run.id(), options);
            if (!preview.allowed()) {
                return preview.blockedBy();
            }
            if (!dryRun) {
                rerun(run.id(), options);
            }
            return null;
        });
    }

    /**
     * Brings every waiting retry a query matches (up to {@code cap}) forward to now, as {@link #retryNow} does; runs
     * not waiting for a retry are skipped. With {@code dryRun} nothing changes.
     */
    public BulkResult retryNowAll(RunQuery query, int cap, boolean dryRun) {
        return bulk(query, cap, dryRun, run -> {
            if (!run.awaitingRetry()) {
                return "not waiting for a retry (" + run.status() + ")";
            }
            if (!dryRun) {
                retryNow(run.id());
            }
            return null;
        });
    }

    private BulkResult bulk(
            RunQuery query, int cap, boolean dryRun, java.util.function.Function<ActionRun, @Nullable String> each) {
        if (cap < 1 || cap > 10_000) {
            throw new ValidationException("cap", "must be between 1 and 10000");
        }
        List<ActionRun> matched = new ArrayList<>();
        RunQuery page = query.after(null);
        boolean capped = false;
        while (true) {
            RunPage found = store.findRuns(page);
            for (ActionRun run : found.runs()) {
                if (matched.size() == cap) {
                    capped = true;
                    break;
                }
                matched.add(run);
            }
            if (capped || found.next() == null) {
                break;
            }
            page = query.after(found.next());
        }
        int done = 0;
        Map<String, String> skipped = new LinkedHashMap<>();
        for (ActionRun run : matched) {
            try {
                String reason = each.apply(run);
                if (reason == null) {
                    done++;
                } else {
                    skipped.put(run.id(), reason);
                }
            } catch (PostpurchaseException e) {
                skipped.put(run.id(), e.getMessage());
            }
        }
        LOG.info(
                "bulk operation over {} run(s): {} done, {} skipped{}",
                matched.size(),
                done,
                skipped.size(),
                dryRun ? " (dry run)" : "");
        return new BulkResult(matched.size(), capped, dryRun ? 0 : done, skipped, dryRun);
    }

    /**
     * Makes a run waiting for an automatic retry due now, keeping its attempts and budget: after an outage, when the
     * receiver is back but the backoff still holds its deliveries.
     *
     * @return the run, due now
     * @throws NotFoundException when the run does not exist
     * @throws ConflictException when it is not PENDING, or changed meanwhile
     */
    public ActionRun retryNow(String runId) {
        ActionRun run = store.run(runId).orElseThrow(() -> new NotFoundException("no run with id " + runId));
        if (run.status() != RunStatus.PENDING) {
            throw new ConflictException("run " + runId + " is " + run.status() + ", not waiting for a retry");
        }
        ActionRun due = store.retryNow(run, settings.clock().instant())
                .orElseThrow(() -> new ConflictException("run " + runId + " changed meanwhile; reload and try again"));
        LOG.info("run {} brought forward: due now", runId);
        reportChange(due);
        return due;
    }

    /** A page of the runs matching {@code query}, newest first; follow {@link RunPage#next()} for more. */
    public RunPage findRuns(RunQuery query) {
        return store.findRuns(query);
    }

    /** The runs of an order and of every event about it (its refund, a declined transaction...), oldest first. */
    public List<ActionRun> runsAbout(String orderId) {
        return store.runsAbout(orderId);
    }

    /** The attempts of a run kept in its history, oldest first. */
    public List<AttemptRecord> attemptsOf(String runId) {
        return store.attemptsOf(runId);
    }

    public Optional<ActionRun> run(String runId) {
        return store.run(runId);
    }

    /** The runs of an order with status, attempts, last error and next attempt time. */
    public List<ActionRun> runsOfOrder(String orderId) {
        return store.runs(TriggerKind.ORDER, orderId);
    }

    /** The runs of a published event. */
    public List<ActionRun> runsOfEvent(String eventId) {
        return store.runs(TriggerKind.EVENT, eventId);
    }

    /** How far an order's runs have come; {@code completed} once all have succeeded. */
    public TriggerProgress progressOfOrder(String orderId) {
        return progress(TriggerKind.ORDER, orderId);
    }

    public TriggerProgress progressOfEvent(String eventId) {
        return progress(TriggerKind.EVENT, eventId);
    }

    private TriggerProgress progress(TriggerKind kind, String id) {
        Trigger trigger =
                store.trigger(kind, id).orElseThrow(() -> new NotFoundException("no " + Trigger.key(kind, id)));
        return TriggerProgress.of(trigger.key(), store.runs(kind, id), trigger.completedAt() != null);
    }

    /**
     * How many runs are pending, waiting for a retry, running, stale (heartbeat older than the lease duration) and
     * failed, across all orders and events: the overview of a staff page or a metrics gauge.
     */
    public RunCounts countRuns() {
        return store.countRuns(settings.leaseDuration(), settings.clock().instant());
    }

    /**
     * RUNNING runs whose heartbeat is older than the lease duration: their worker has probably died. Idempotent
     * ones are recovered automatically; offer the others for a force re-run.
     */
    public List<ActionRun> staleRuns() {
        return staleRuns(settings.leaseDuration());
    }

    /** RUNNING runs whose heartbeat is older than {@code threshold}, by the store's clock. */
    public List<ActionRun> staleRuns(Duration threshold) {
        return store.staleRuns(threshold, settings.clock().instant(), 1000);
    }

    /**
     * PENDING runs that no live node can take, because no node seen alive within a lease (plus a heartbeat) has an
     * executor of their type: for example the last node with that executor was removed, or a rolling deploy has not
     * yet reached a node with a newer executor. They wait, never failed; a node registering the type takes them.
     */
    public List<ActionRun> unclaimableRuns() {
        return store.unclaimableRuns(
                settings.leaseDuration().plus(settings.heartbeatInterval()),
                settings.clock().instant(),
                1000);
    }

    /**
     * Waits until this node has nothing executing and no run in the store is due; for tests, examples and
     * batch jobs. Runs awaiting a retry in the future do not count as due.
     *
     * @return false when {@code timeout} passed first
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            // the store first: a run claimed after this read is held by the engine until its outcome is
            // recorded, so the engine's count read next sees it; the other order misses a claim in between
            boolean nothingDue = store.untilNextDue(settings.clock().instant())
                    .map(until -> !until.isNegative() && !until.isZero())
                    .orElse(true);
            boolean idle = nothingDue && (engine == null || engine.inFlight() == 0);
            if (idle) {
                return true;
            }
            if (!nothingDue) {
                wakeUp(); // a due run the dispatcher may not know of yet (a controllable clock was advanced)
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Makes the workers look for due runs now (for example after a controllable clock was advanced). */
    public void wakeUp() {
        if (engine != null) {
            engine.wakeUp();
        }
    }

    /**
     * Stops claiming runs and lets running ones finish within {@code deadline}; runs still executing after it are
     * interrupted and stay RUNNING, recoverable. Does not close the store.
     *
     * @return true when every in-flight run finished in time
     */
    public boolean shutdown(Duration deadline) {
        boolean finished = engine == null || engine.shutdown(deadline);
        awaiting.close();
        return finished;
    }

    /** {@link #shutdown(Duration)} with the builder's deadline. */
    @Override
    public void close() {
        shutdown(shutdownDeadline);
    }

    /** This node's name, as recorded in the owner of the runs it executes. */
    public String nodeId() {
        return settings.nodeId();
    }

    /** The runs this node executes at once. */
    public int workers() {
        return settings.workers();
    }

    /** The most runs claimed per store round trip (the builder's value, or the default when it was 0). */
    public int claimBatch() {
        return settings.claimBatch();
    }

    /** How often the store is polled when nothing wakes the workers. */
    public Duration pollInterval() {
        return settings.pollInterval();
    }

    /** How long a RUNNING run's lease lasts without a heartbeat. */
    public Duration leaseDuration() {
        return settings.leaseDuration();
    }

    /** How often a running run's lease is renewed. */
    public Duration heartbeatInterval() {
        return settings.heartbeatInterval();
    }

    /** How long {@link #close()} waits for in-flight runs. */
    public Duration shutdownDeadline() {
        return shutdownDeadline;
    }

    /** Whether this pipeline executes runs (false for a node that only submits). */
    public boolean executesRuns() {
        return engine != null;
    }

    @Override
    public String toString() {
        return "ActionPipeline[node=" + settings.nodeId() + ", workers=" + settings.workers() + ", executors="
                + executors.types() + "]";
    }

    /** Mutable, not thread-safe builder of {@link ActionPipeline}. */
    public static final class Builder {
        private static final int DEFAULT_CLAIM_BATCH = 64;

        private @Nullable ActionStateStore store;
        private @Nullable DefinitionSource definitions;
        private final List<ActionExecutor<?>> executors = new ArrayList<>();
        private final List<PipelineListener> listeners = new ArrayList<>();
        private final List<PipelineObserver> observers = new ArrayList<>();
        private int workers = 4;
        private int claimBatch = 0;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration leaseDuration = Duration.ofSeconds(60);
        private Duration shutdownDeadline = Duration.ofSeconds(30);
        private @Nullable Duration heartbeatInterval;
        private Clock clock = Clock.systemUTC();
        private String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 8);
        private boolean startWorkers = true;

        private Builder() {}

        /** Required: where runs are kept. */
        public Builder store(ActionStateStore value) {
            this.store = value;
            return this;
        }

        /** Required: where definitions and subscriptions come from. */
        public Builder definitions(DefinitionSource value) {
            this.definitions = value;
            return this;
        }

        /** Registers an executor under its {@link ActionExecutor#type()}. */
        public Builder executor(ActionExecutor<?> value) {
            executors.add(Objects.requireNonNull(value, "executor"));
            return this;
        }

        /** Registers each executor under its {@link ActionExecutor#type()}. */
        public Builder executors(List<? extends ActionExecutor<?>> values) {
            values.forEach(this::executor);
            return this;
        }

        /**
         * Registers every executor of {@code registry}: build the registry once ({@link ActionExecutors#of}), give it
         * to the definition store for validation and to the pipeline here.
         */
        public Builder executors(ActionExecutors registry) {
            return executors(registry.all());
        }

        public Builder listener(PipelineListener value) {
            listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        /**
         * Adds an observer of claims, attempts and outcome batches on this node (metrics); none by default. See
         * {@link PipelineObserver}.
         */
        public Builder observer(PipelineObserver value) {
            observers.add(Objects.requireNonNull(value, "observer"));
            return this;
        }

        /** Runs executed at once on this node; default 4. */
        public Builder workers(int value) {
            this.workers = value;
            return this;
        }

        /**
         * The most runs claimed per store round trip, and the most kept claimed ahead of the busy workers; default
         * 64 (and never fewer than the workers). How far ahead the node actually claims follows its pace: as many runs
         * as it finishes during two claim round trips, so fast actions are claimed in large batches and slow ones one
         * at a time, and a node never hoards runs that other nodes could take. Runs of non-idempotent executors are
         * never claimed ahead.
         */
        public Builder claimBatch(int value) {
            this.claimBatch = value;
            return this;
        }

        /** How often the store is polled when nothing wakes the workers; default 1 s. */
        public Builder pollInterval(Duration value) {
            this.pollInterval = value;
            return this;
        }

        /**
         * How long a RUNNING run's lease lasts without a heartbeat; heartbeats are sent every third of it. A run
         * whose heartbeat is older is stale. Default 60 s.
         */
        public Builder leaseDuration(Duration value) {
            this.leaseDuration = value;
            return this;
        }

        /** How often a running run's lease is renewed; default a third of the lease duration. */
        public Builder heartbeatInterval(Duration value) {
            this.heartbeatInterval = value;
            return this;
        }

        /** How long {@link #close()} waits for in-flight runs; default 30 s. */
        public Builder shutdownDeadline(Duration value) {
            this.shutdownDeadline = value;
            return this;
        }

        /** The clock for due times, heartbeats and timestamps; default UTC system clock. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** This node's name as recorded in run owners; default {@code node-} and a random suffix. */
        public Builder nodeId(String value) {
            this.nodeId = value;
            return this;
        }

        /**
         * Whether this pipeline executes runs; default true: {@link #build()} starts the worker, dispatcher and lease
         * threads. False for a node that only submits (for example inside a web request) and for a pipeline built
         * only to validate definitions; there {@link ActionExecutors#validate} alone, without a pipeline, is
         * simpler still.
         */
        public Builder startWorkers(boolean value) {
            this.startWorkers = value;
            return this;
        }

        /**
         * Validates the settings and builds a started pipeline.
         *
         * @throws ValidationException naming every bad setting
         */
        public ActionPipeline build() {
            List<Violation> v = new ArrayList<>();
            if (store == null) {
                v.add(new Violation("store", "is required"));
            }
            if (definitions == null) {
                v.add(new Violation("definitions", "is required"));
            }
            if (workers < 1 || workers > 1024) {
                v.add(new Violation("workers", "must be between 1 and 1024"));
            }
            if (claimBatch < 0 || claimBatch > 10_000) {
                v.add(new Violation("claimBatch", "must be between 1 and 10000, or 0 for the default"));
            }
            Violations.positiveDuration(v, "pollInterval", pollInterval);
            Violations.positiveDuration(v, "leaseDuration", leaseDuration);
            Violations.positiveDuration(v, "shutdownDeadline", shutdownDeadline);
            if (leaseDuration != null && leaseDuration.compareTo(Duration.ofMillis(3)) < 0) {
                v.add(new Violation("leaseDuration", "must be at least 3 ms"));
            }
            if (heartbeatInterval != null) {
                Violations.positiveDuration(v, "heartbeatInterval", heartbeatInterval);
                if (heartbeatInterval.compareTo(Duration.ofMillis(1)) < 0) {
                    v.add(new Violation("heartbeatInterval", "must be at least 1 ms"));
                }
                if (leaseDuration != null && heartbeatInterval.compareTo(leaseDuration) >= 0) {
                    v.add(new Violation("heartbeatInterval", "must be shorter than leaseDuration"));
                }
            }
            if (clock == null) {
                v.add(new Violation("clock", "is required"));
            }
            if (nodeId == null || nodeId.isBlank() || nodeId.length() > 100) {
                v.add(new Violation("nodeId", "must be 1 to 100 characters"));
            }
            ActionStateStore checkedStore = store;
            DefinitionSource checkedDefinitions = definitions;
            if (!v.isEmpty() || checkedStore == null || checkedDefinitions == null) {
                throw new ValidationException(v);
            }
            if (claimBatch == 0) {
                claimBatch = Math.max(workers, DEFAULT_CLAIM_BATCH);
            }
            Duration heartbeat = heartbeatInterval != null ? heartbeatInterval : leaseDuration.dividedBy(3);
            checkedStore.checkReady();
            return new ActionPipeline(this, checkedStore, checkedDefinitions, heartbeat);
        }
    }
}
