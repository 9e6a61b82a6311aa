package dev.postpurchase.core.memory;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.spi.DefinitionSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe, mutable {@link DefinitionSource} in memory. When built with a validator (typically {@code
 * ActionExecutors::validate}) every saved definition is validated first, and an invalid one is not saved.
 */
public final class InMemoryDefinitionSource implements DefinitionSource {
    private final Map<String, ActionDefinition> definitions = new LinkedHashMap<>();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<ShopEventType, Boolean> eventSwitches = new EnumMap<>(ShopEventType.class);
    private final @Nullable Consumer<ActionDefinition> validator;

    public InMemoryDefinitionSource() {
        this(null);
    }

    /** A source that validates every definition before saving it. */
    public InMemoryDefinitionSource(@Nullable Consumer<ActionDefinition> validator) {
        this.validator = validator;
    }

    /** Saves or replaces a definition (by id), after validating it; returns it. */
    public ActionDefinition save(ActionDefinition definition) {
        if (validator != null) {
            validator.accept(definition);
        }
        synchronized (this) {
            definitions.put(definition.id(), definition);
        }
        return definition;
    }

    public synchronized void remove(String definitionId) {
        definitions.remove(definitionId);
    }

    /** Saves or replaces a subscription (by id). */
    public synchronized Subscription subscribe(Subscription subscription) {
        subscriptions.put(subscription.id(), subscription);
        return subscription;
    }

    public synchronized void unsubscribe(String subscriptionId) {
        subscriptions.remove(subscriptionId);
    }

    /** Turns an event type on or off for every channel. */
    public synchronized void setEventEnabled(ShopEventType type, boolean enabled) {
        eventSwitches.put(type, enabled);
    }

    @Override
    public List<ActionDefinition> forCheckout(String checkoutId) {
        return find(ActionLevel.CHECKOUT, checkoutId);
    }

    @Override
    public List<ActionDefinition> forOffer(String offerId) {
        return find(ActionLevel.OFFER, offerId);
    }

    @Override
    public List<ActionDefinition> forProduct(String productId) {
        return find(ActionLevel.PRODUCT, productId);
    }

    @Override
    public synchronized Optional<ActionDefinition> byId(String definitionId) {
        return Optional.ofNullable(definitions.get(definitionId));
    }

    @Override
    public synchronized List<Subscription> subscriptions(ShopEventType type) {
        List<Subscription> result = new ArrayList<>();
        for (Subscription s : subscriptions.values()) {
            if (s.eventType() == type) {
                result.add(s);
            }
        }
        return result;
    }

    @Override
    public synchronized boolean eventEnabled(ShopEventType type) {
        return eventSwitches.getOrDefault(type, true);
    }

    private synchronized List<ActionDefinition> find(ActionLevel level, String targetId) {
        List<ActionDefinition> result = new ArrayList<>();
        for (ActionDefinition d : definitions.values()) {
            if (d.level() == level && d.targetId().equals(targetId)) {
                result.add(d);
            }
        }
        return result;
    }
}
