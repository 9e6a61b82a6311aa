package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import java.util.List;
import java.util.Optional;

/**
 * How the backend supplies action definitions and event subscriptions, typically from its own tables.
 *
 * <p>Called on every submit, publish and "use latest template" re-run, from any thread; implementations must be
 * thread-safe and should answer from an index or cache. Return disabled definitions too: the pipeline leaves them
 * out. A definition's config must have been validated when it was saved ({@code ActionExecutors#validate});
 * {@link DefinitionStore} is the writable kind that does so.
 */
public interface DefinitionSource {

    /** The checkout's actions. */
    List<ActionDefinition> forCheckout(String checkoutId);

    /** The offer's actions. */
    List<ActionDefinition> forOffer(String offerId);

    /** The product's actions. */
    List<ActionDefinition> forProduct(String productId);

    /** The current version of one definition, for re-runs with "use latest template" and for subscriptions. */
    Optional<ActionDefinition> byId(String definitionId);

    /** The subscriptions of one event type, enabled or not. */
    List<Subscription> subscriptions(ShopEventType type);

    /** The per-event on/off switch of the notification settings; every event is on by default. */
    default boolean eventEnabled(ShopEventType type) {
        return true;
    }
}
