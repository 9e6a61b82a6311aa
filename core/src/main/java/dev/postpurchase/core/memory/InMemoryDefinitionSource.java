package dev.postpurchase.core.memory;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ConflictException;
import dev.postpurchase.core.NotFoundException;
import dev.postpurchase.core.VersionConflictException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.spi.ConfigurationRules;
import dev.postpurchase.core.spi.DefinitionQuery;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.core.spi.Page;
import dev.postpurchase.core.spi.Versioned;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe {@link DefinitionStore} in memory, for tests, examples and single-process use; nothing survives a
 * restart (use {@code JdbcDefinitionSource} for that).
 *
 * <p>Built with {@link #InMemoryDefinitionSource(ActionExecutors)} it keeps the whole {@link DefinitionStore}
 * contract: definitions and subscriptions are validated with {@link ConfigurationRules} before they are stored. The
 * no-argument constructor validates nothing, so tests can store what a real dashboard would refuse; the {@link
 * Consumer} constructor validates definitions only.
 *
 * <p>Besides the versioned SPI methods it keeps the unversioned shortcuts {@link #save}, {@link #remove}, {@link
 * #subscribe} and {@link #unsubscribe} for setting up tests and examples: the last write wins.
 */
public final class InMemoryDefinitionSource implements DefinitionStore {
    private final Map<String, Versioned<ActionDefinition>> definitions = new LinkedHashMap<>();
    private final Map<String, Versioned<Subscription>> subscriptions = new LinkedHashMap<>();
    private final Map<ShopEventType, Boolean> eventSwitches = new EnumMap<>(ShopEventType.class);
    private final @Nullable ActionExecutors executors;
    private final @Nullable Consumer<ActionDefinition> validator;
    private final Clock clock = Clock.systemUTC();

    /** A source that validates nothing. */
    public InMemoryDefinitionSource() {
        this.executors = null;
        this.validator = null;
    }

    /** A source that validates every saved definition with {@code validator} (subscriptions are not checked). */
    public InMemoryDefinitionSource(@Nullable Consumer<ActionDefinition> validator) {
        this.executors = null;
        this.validator = validator;
    }

    /**
     * A source that applies every rule of {@link DefinitionStore}: definitions, subscriptions and new checkouts are
     * checked against {@code executors}.
     */
    public InMemoryDefinitionSource(ActionExecutors executors) {
        this.executors = Objects.requireNonNull(executors, "executors");
        this.validator = null;
    }

    // ---- unversioned shortcuts ------------------------------------------------------------------------------------

    /** Saves or replaces a definition (by id), after validating it; the last write wins. Returns it. */
    public ActionDefinition save(ActionDefinition definition) {
        checkDefinition(definition);
        synchronized (this) {
            Versioned<ActionDefinition> stored = definitions.get(definition.id());
            definitions.put(definition.id(), stored == null ? fresh(definition) : next(stored, definition));
        }
        return definition;
    }

    /** Removes a definition whatever its version; subscriptions naming it are left as they are. */
    public synchronized void remove(String definitionId) {
        definitions.remove(definitionId);
    }

    /** Saves or replaces a subscription (by id), validated when the source has executors; the last write wins. */
    public synchronized Subscription subscribe(Subscription subscription) {
        checkSubscription(subscription);
        Versioned<Subscription> stored = subscriptions.get(subscription.id());
        subscriptions.put(subscription.id(), stored == null ? fresh(subscription) : next(stored, subscription));
        return subscription;
    }

    /** Removes a subscription whatever its version. */
    public synchronized void unsubscribe(String subscriptionId) {
        subscriptions.remove(subscriptionId);
    }

    // ---- DefinitionStore ------------------------------------------------------------------------------------------

    @Override
    public Versioned<ActionDefinition> createDefinition(ActionDefinition definition) {
        checkDefinition(definition);
        synchronized (this) {
            if (definitions.containsKey(definition.id())) {
                throw new ConflictException("a definition with the id " + definition.id() + " exists already");
            }
            Versioned<ActionDefinition> stored = fresh(definition);
            definitions.put(definition.id(), stored);
            return stored;
        }
    }

    @Override
    public Versioned<ActionDefinition> updateDefinition(ActionDefinition definition, long expectedVersion) {
        checkDefinition(definition);
        synchronized (this) {
            Versioned<ActionDefinition> stored =
                    requireVersion(definitions.get(definition.id()), "definition", definition.id(), expectedVersion);
            ConfigurationRules.checkSameType(stored.value().type(), definition);
            Versioned<ActionDefinition> updated = next(stored, definition);
            definitions.put(definition.id(), updated);
            return updated;
        }
    }

    @Override
    public synchronized void deleteDefinition(String definitionId, long expectedVersion) {
        requireVersion(definitions.get(definitionId), "definition", definitionId, expectedVersion);
        List<String> naming = subscriptions.values().stream()
                .map(Versioned::value)
                .filter(s -> s.definitionIds().contains(definitionId))
                .map(Subscription::id)
                .sorted()
                .toList();
        if (!naming.isEmpty()) {
            throw new ConflictException("definition " + definitionId + " is named by the subscription(s) " + naming
                    + "; remove it from them first");
        }
        definitions.remove(definitionId);
    }

    @Override
    public synchronized Optional<Versioned<ActionDefinition>> findDefinition(String definitionId) {
        return Optional.ofNullable(definitions.get(definitionId));
    }

    @Override
    public synchronized Page<Versioned<ActionDefinition>> definitions(DefinitionQuery query) {
        List<Versioned<ActionDefinition>> matching = definitions.values().stream()
                .filter(d -> query.matches(
                        d.value().level(), d.value().targetId(), d.value().type()))
                .filter(d -> query.after() == null || d.value().id().compareTo(query.after()) > 0)
                .sorted(Comparator.comparing(d -> d.value().id()))
                .limit(query.limit() + 1L)
                .toList();
        if (matching.size() <= query.limit()) {
            return new Page<>(matching, null);
        }
        List<Versioned<ActionDefinition>> page = matching.subList(0, query.limit());
        return new Page<>(page, page.get(page.size() - 1).value().id());
    }

    /** Adds the executors' new-checkout definitions that do not exist yet; nothing without executors. */
    @Override
    public List<Versioned<ActionDefinition>> checkoutCreated(String checkoutId) {
        if (executors == null) {
            return List.of();
        }
        List<ActionDefinition> wanted = executors.definitionsForNewCheckout(checkoutId);
        wanted.forEach(this::checkDefinition);
        List<Versioned<ActionDefinition>> result = new ArrayList<>();
        synchronized (this) {
            for (ActionDefinition definition : wanted) {
                result.add(definitions.computeIfAbsent(definition.id(), id -> fresh(definition)));
            }
        }
        return result;
    }

    @Override
    public synchronized Versioned<Subscription> createSubscription(Subscription subscription) {
        checkSubscription(subscription);
        if (subscriptions.containsKey(subscription.id())) {
            throw new ConflictException("a subscription with the id " + subscription.id() + " exists already");
        }
        Versioned<Subscription> stored = fresh(subscription);
        subscriptions.put(subscription.id(), stored);
        return stored;
    }

    @Override
    public synchronized Versioned<Subscription> updateSubscription(Subscription subscription, long expectedVersion) {
        checkSubscription(subscription);
        Versioned<Subscription> stored = requireVersion(
                subscriptions.get(subscription.id()), "subscription", subscription.id(), expectedVersion);
        Versioned<Subscription> updated = next(stored, subscription);
        subscriptions.put(subscription.id(), updated);
        return updated;
    }

    @Override
    public synchronized void deleteSubscription(String subscriptionId, long expectedVersion) {
        requireVersion(subscriptions.get(subscriptionId), "subscription", subscriptionId, expectedVersion);
        subscriptions.remove(subscriptionId);
    }

    @Override
    public synchronized Optional<Versioned<Subscription>> findSubscription(String subscriptionId) {
        return Optional.ofNullable(subscriptions.get(subscriptionId));
    }

    @Override
    public synchronized List<Versioned<Subscription>> subscriptionsOf(ShopEventType type) {
        return subscriptions.values().stream()
                .filter(s -> s.value().eventType() == type)
                .sorted(Comparator.comparing(s -> s.value().id()))
                .toList();
    }

    /** Turns an event type on or off for every channel. */
    @Override
    public synchronized void setEventEnabled(ShopEventType type, boolean enabled) {
        eventSwitches.put(Objects.requireNonNull(type, "type"), enabled);
    }

    @Override
    public synchronized Map<ShopEventType, Boolean> eventSwitches() {
        Map<ShopEventType, Boolean> all = new EnumMap<>(ShopEventType.class);
        for (ShopEventType type : ShopEventType.values()) {
            all.put(type, eventSwitches.getOrDefault(type, true));
        }
        return all;
    }

    // ---- DefinitionSource -----------------------------------------------------------------------------------------

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
        return Optional.ofNullable(definitions.get(definitionId)).map(Versioned::value);
    }

    @Override
    public synchronized List<Subscription> subscriptions(ShopEventType type) {
        List<Subscription> result = new ArrayList<>();
        for (Versioned<Subscription> s : subscriptions.values()) {
            if (s.value().eventType() == type) {
                result.add(s.value());
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
        for (Versioned<ActionDefinition> stored : definitions.values()) {
            ActionDefinition d = stored.value();
            if (d.level() == level && d.targetId().equals(targetId)) {
                result.add(d);
            }
        }
        return result;
    }

    private void checkDefinition(ActionDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        if (executors != null) {
            ConfigurationRules.checkDefinition(executors, definition);
        } else if (validator != null) {
            validator.accept(definition);
        }
    }

    /** Called under the lock, so the definitions it looks up cannot vanish before the subscription is stored. */
    private void checkSubscription(Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        if (executors != null) {
            ConfigurationRules.checkSubscription(executors, subscription, id -> Optional.ofNullable(definitions.get(id))
                    .map(d -> d.value().type()));
        }
    }

    private <T> Versioned<T> fresh(T value) {
        Instant now = clock.instant();
        return new Versioned<>(value, 1, now, now);
    }

    private <T> Versioned<T> next(Versioned<T> stored, T value) {
        Instant now = clock.instant();
        return new Versioned<>(value, stored.version() + 1, stored.createdAt(), now);
    }

    private static <T> Versioned<T> requireVersion(
            @Nullable Versioned<T> stored, String what, String id, long expectedVersion) {
        if (stored == null) {
            throw new NotFoundException("no " + what + " with the id " + id);
        }
        if (stored.version() != expectedVersion) {
            throw new VersionConflictException(what, id, expectedVersion, stored.version());
        }
        return stored;
    }
}
