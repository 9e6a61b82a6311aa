package dev.postpurchase.core.spi;

import dev.postpurchase.core.ConflictException;
import dev.postpurchase.core.NotFoundException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.VersionConflictException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link DefinitionSource} the merchant's dashboard writes to: action definitions, event subscriptions and the
 * per-event switches, durable and versioned. The pipeline only reads (through {@link DefinitionSource}); the admin
 * screens use the methods here.
 *
 * <p><b>Validation on save.</b> Every definition is checked as {@code ActionExecutors#validate} checks it (a known
 * type, a level its executor allows, a config that reads into the executor's config type and passes its
 * validation) plus the limits of {@link ConfigurationRules}; every subscription must name existing definitions whose
 * executors take events (invariant 10). A refused save throws {@link ValidationException} naming every bad field
 * ({@code config.url}, {@code level}, {@code definitionIds[1]}, ...) and stores nothing. An executor that needs a
 * disabled integration refuses with {@code IntegrationNotEnabledException}.
 *
 * <p><b>Optimistic locking.</b> Each definition and subscription has a version, 1 when created and one more with
 * every update. An update or delete names the version its editor loaded; when the stored one differs the write is
 * refused with {@link VersionConflictException} and nothing changes, so two editors racing on one definition never
 * overwrite each other silently: exactly one of them wins.
 *
 * <p><b>Consistency.</b> Implementations are thread-safe and safe across processes sharing the same storage. After a
 * write returns, reads through the same instance see it (a cached implementation invalidates its own cache); other
 * instances see it within the bound the implementation documents. Writes are atomic: a failed write leaves nothing
 * behind. Listing and {@code find} methods read the stored state, never a cache, so an editor always gets the
 * current version.
 */
public interface DefinitionStore extends DefinitionSource {

    /**
     * Stores a new definition at version 1.
     *
     * @throws ValidationException when it is invalid; nothing is stored
     * @throws ConflictException when a definition with its id exists already
     */
    Versioned<ActionDefinition> createDefinition(ActionDefinition definition);

    /**
     * Replaces a definition (matched by id) when its stored version is {@code expectedVersion}; its type cannot
     * change. Runs created before keep their snapshots.
     *
     * @return the definition as stored, at {@code expectedVersion + 1}
     * @throws ValidationException when it is invalid; the stored version stays as it was
     * @throws NotFoundException when no definition has its id
     * @throws VersionConflictException when the stored version is not {@code expectedVersion}
     */
    Versioned<ActionDefinition> updateDefinition(ActionDefinition definition, long expectedVersion);

    /**
     * Deletes a definition when its stored version is {@code expectedVersion}. Runs created from it keep their
     * snapshots and still run; a "use latest template" re-run of them is refused with {@link NotFoundException}.
     *
     * @throws NotFoundException when no definition has this id
     * @throws VersionConflictException when the stored version is not {@code expectedVersion}
     * @throws ConflictException when a subscription names it; remove it from the subscription first
     */
    void deleteDefinition(String definitionId, long expectedVersion);

    /** One definition with its version, as stored now. */
    Optional<Versioned<ActionDefinition>> findDefinition(String definitionId);

    /** One page of the definitions the query selects, by ascending id, as stored now. */
    Page<Versioned<ActionDefinition>> definitions(DefinitionQuery query);

    /**
     * Adds the actions every new checkout gets (each executor's {@code definitionsForNewCheckout}, for example the
     * receipt email, disabled). Call it when the shop creates a checkout. Idempotent: a definition that exists
     * already (by id) is kept as it is, so calling it again never re-disables what the merchant enabled.
     *
     * @return the checkout's new-checkout definitions as stored, created now or before
     */
    List<Versioned<ActionDefinition>> checkoutCreated(String checkoutId);

    /**
     * Stores a new subscription at version 1.
     *
     * @throws ValidationException when it names a missing definition or one whose executor takes no events
     * @throws ConflictException when a subscription with its id exists already
     */
    Versioned<Subscription> createSubscription(Subscription subscription);

    /**
     * Replaces a subscription (matched by id) when its stored version is {@code expectedVersion}.
     *
     * @throws ValidationException as {@link #createSubscription}
     * @throws NotFoundException when no subscription has its id
     * @throws VersionConflictException when the stored version is not {@code expectedVersion}
     */
    Versioned<Subscription> updateSubscription(Subscription subscription, long expectedVersion);

    /**
     * Deletes a subscription when its stored version is {@code expectedVersion}.
     *
     * @throws NotFoundException when no subscription has this id
     * @throws VersionConflictException when the stored version is not {@code expectedVersion}
     */
    void deleteSubscription(String subscriptionId, long expectedVersion);

    /** One subscription with its version, as stored now. */
    Optional<Versioned<Subscription>> findSubscription(String subscriptionId);

    /** The subscriptions of one event type, enabled or not, by ascending id, as stored now. */
    List<Versioned<Subscription>> subscriptionsOf(ShopEventType type);

    /** Switches an event type on or off for every subscription. Idempotent; the last write wins. */
    void setEventEnabled(ShopEventType type, boolean enabled);

    /** Every event type with its switch; types never switched are on. */
    Map<ShopEventType, Boolean> eventSwitches();
}
