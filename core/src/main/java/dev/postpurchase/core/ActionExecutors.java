package dev.postpurchase.core;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.PaymentScope;
import dev.postpurchase.core.order.PaymentSequence;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The executors of a pipeline, by type. Immutable and thread-safe. Use {@link #validate} when a merchant saves a
 * definition so a bad config is refused then, not when an order arrives.
 */
public final class ActionExecutors {
    private final Map<String, ActionExecutor<?>> byType;

    private ActionExecutors(Map<String, ActionExecutor<?>> byType) {
        this.byType = Map.copyOf(byType);
    }

    /** A registry of the given executors; two with the same type are refused. */
    public static ActionExecutors of(Collection<? extends ActionExecutor<?>> executors) {
        Map<String, ActionExecutor<?>> map = new LinkedHashMap<>();
        for (ActionExecutor<?> executor : executors) {
            if (map.putIfAbsent(executor.type(), executor) != null) {
                throw new ValidationException("executors", "two executors have the type '" + executor.type() + "'");
            }
        }
        return new ActionExecutors(map);
    }

    public Optional<ActionExecutor<?>> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The executor of {@code type}, or a {@link ValidationException} on {@code type} listing the known types. */
    public ActionExecutor<?> require(String type) {
        ActionExecutor<?> executor = byType.get(type);
        if (executor == null) {
            throw new ValidationException("type", "unknown action type '" + type + "'; known types: " + types());
        }
        return executor;
    }

    /** Every registered type, sorted. */
    public Set<String> types() {
        return new TreeSet<>(byType.keySet());
    }

    /** The types whose executors are idempotent: their abandoned runs are recovered automatically. */
    public Set<String> idempotentTypes() {
        Set<String> types = new TreeSet<>();
        byType.forEach((type, executor) -> {
            if (executor.idempotent()) {
                types.add(type);
            }
        });
        return types;
    }

    /**
     * The definitions a new checkout gets from every executor ({@link ActionExecutor#definitionsForNewCheckout}), by
     * executor type.
     */
    public List<ActionDefinition> definitionsForNewCheckout(String checkoutId) {
        List<ActionDefinition> definitions = new ArrayList<>();
        for (String type : types()) {
            definitions.addAll(Objects.requireNonNull(byType.get(type)).definitionsForNewCheckout(checkoutId));
        }
        return definitions;
    }

    /** The definition's own retry policy, else its executor's default. */
    public RetryPolicy policyFor(ActionDefinition definition) {
        RetryPolicy own = definition.retryPolicy();
        return own != null ? own : require(definition.type()).defaultRetryPolicy();
    }

    /**
     * Whether the definition runs for a paid order that is the given payment of its purchase: by the definition's
     * own {@link ActionDefinition#runsOn()}, else its executor's {@link ActionExecutor#defaultPaymentScope()}. A
     * definition of an unknown type counts as running (it is refused by {@link #validate} when its run is created).
     */
    public boolean runsOn(ActionDefinition definition, PaymentSequence payment) {
        PaymentScope own = definition.runsOn();
        if (own != null) {
            return own.covers(payment);
        }
        return find(definition.type())
                .map(executor -> executor.defaultPaymentScope().covers(payment))
                .orElse(true);
    }

    /**
     * Checks a definition: a known type, a level the executor allows, and a config that reads into the executor's
     * config type and passes its validation. Throws {@link ValidationException} naming every problem, with config
     * fields prefixed by {@code config.}.
     */
    public void validate(ActionDefinition definition) {
        ActionExecutor<?> executor = require(definition.type());
        List<Violation> violations = new ArrayList<>();
        if (!executor.levels().contains(definition.level())) {
            violations.add(new Violation(
                    "level",
                    "a " + definition.type() + " action cannot hang on a " + definition.level() + "; allowed: "
                            + executor.levels()));
        }
        try {
            readAndValidate(executor, definition.configJson());
        } catch (IntegrationNotEnabledException e) {
            throw e;
        } catch (ValidationException e) {
            for (Violation v : e.violations()) {
                violations.add(
                        new Violation(v.field().startsWith("config") ? v.field() : "config." + v.field(), v.message()));
            }
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }

    /** Reads a config snapshot into the executor's type and validates it. */
    public static <C> C readAndValidate(ActionExecutor<C> executor, String configJson) {
        C config = PostpurchaseJson.read(configJson, executor.configType(), "config");
        executor.validate(config);
        return config;
    }

    @Override
    public String toString() {
        return "ActionExecutors" + types();
    }
}
