package dev.postpurchase.core.spi;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.IntegrationNotEnabledException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.order.Formats;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The checks every {@link DefinitionStore} and {@link IntegrationSettingsStore} applies before it writes, so all
 * implementations refuse the same input with the same fields. Stateless; for implementers of those SPIs.
 */
public final class ConfigurationRules {
    /** Longest definition, subscription and target id. */
    public static final int MAX_ID_LENGTH = 255;

    /** Longest action type. */
    public static final int MAX_TYPE_LENGTH = 100;

    /** Longest internal name of a definition. */
    public static final int MAX_NAME_LENGTH = 200;

    /** Longest integration id. */
    public static final int MAX_INTEGRATION_LENGTH = 100;

    private ConfigurationRules() {}

    /**
     * Checks a definition about to be saved: the length limits, then {@link ActionExecutors#validate} (type, level,
     * config).
     *
     * @throws ValidationException naming every bad field
     * @throws IntegrationNotEnabledException when the executor needs an integration that is off
     */
    public static void checkDefinition(ActionExecutors executors, ActionDefinition definition) {
        List<Violation> v = new ArrayList<>();
        maxLength(v, "id", definition.id(), MAX_ID_LENGTH);
        maxLength(v, "type", definition.type(), MAX_TYPE_LENGTH);
        maxLength(v, "name", definition.name(), MAX_NAME_LENGTH);
        maxLength(v, "targetId", definition.targetId(), MAX_ID_LENGTH);
        try {
            executors.validate(definition);
        } catch (IntegrationNotEnabledException e) {
            if (v.isEmpty()) {
                throw e;
            }
            v.addAll(e.violations());
        } catch (ValidationException e) {
            v.addAll(e.violations());
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    /**
     * Checks that an update keeps the stored definition's type: runs re-run with "use latest template" rely on it.
     *
     * @throws ValidationException on {@code type}
     */
    public static void checkSameType(String storedType, ActionDefinition replacement) {
        if (!storedType.equals(replacement.type())) {
            throw new ValidationException(
                    "type",
                    "definition " + replacement.id() + " is of type " + storedType + " and cannot become "
                            + replacement.type() + "; create a new definition instead");
        }
    }

    /**
     * Checks a subscription about to be saved: its id's length, and every definition it names exists and has an
     * executor that takes events (invariant 10). {@code typeOfDefinition} gives a stored definition's type, empty
     * when there is no definition with that id.
     *
     * @throws ValidationException naming {@code id} or {@code definitionIds[i]}
     */
    public static void checkSubscription(
            ActionExecutors executors, Subscription subscription, Function<String, Optional<String>> typeOfDefinition) {
        List<Violation> v = new ArrayList<>();
        maxLength(v, "id", subscription.id(), MAX_ID_LENGTH);
        List<String> ids = subscription.definitionIds();
        for (int i = 0; i < ids.size(); i++) {
            String field = "definitionIds[" + i + "]";
            String id = ids.get(i);
            if (id == null || id.isBlank()) {
                v.add(new Violation(field, "is required"));
                continue;
            }
            if (ids.indexOf(id) != i) {
                v.add(new Violation(field, "names " + id + " a second time"));
                continue;
            }
            Optional<String> stored = id.length() > MAX_ID_LENGTH ? Optional.empty() : typeOfDefinition.apply(id);
            if (stored.isEmpty()) {
                v.add(new Violation(field, "no action definition has the id " + id));
                continue;
            }
            String type = stored.get();
            Optional<ActionExecutor<?>> executor = executors.find(type);
            if (executor.isEmpty()) {
                v.add(new Violation(field, "definition " + id + " has the unknown type " + type));
            } else if (!executor.get().triggerKinds().contains(TriggerKind.EVENT)) {
                v.add(new Violation(
                        field,
                        "definition " + id + " is a " + type + " action, which runs for paid orders only and"
                                + " cannot be subscribed to events"));
            }
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    /**
     * Checks an integration setting: an id of 1 to {@value #MAX_INTEGRATION_LENGTH} characters without control
     * characters, and an API key that is not blank when given.
     *
     * @throws ValidationException naming {@code integration} or {@code apiKey}
     */
    public static void checkIntegration(@Nullable IntegrationSetting setting) {
        if (setting == null) {
            throw new ValidationException("setting", "is required");
        }
        List<Violation> v = new ArrayList<>();
        String integration = setting.integration();
        if (integration == null || integration.isBlank()) {
            v.add(new Violation("integration", "is required"));
        } else {
            maxLength(v, "integration", integration, MAX_INTEGRATION_LENGTH);
        }
        if (setting.apiKey() != null && setting.apiKey().isBlank()) {
            v.add(new Violation("apiKey", "must not be blank; save the setting without a key to remove it"));
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    private static void maxLength(List<Violation> v, String field, String value, int max) {
        if (value.length() > max) {
            v.add(new Violation(field, "must be at most " + max + " characters"));
        } else if (Formats.hasControlCharacters(value)) {
            v.add(new Violation(field, "must not contain control characters"));
        }
    }
}
