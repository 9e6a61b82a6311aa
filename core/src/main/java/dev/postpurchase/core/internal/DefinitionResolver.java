package dev.postpurchase.core.internal;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.DefinitionSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the enabled definitions that apply to an order or an event, each once. */
public final class DefinitionResolver {
    private static final Logger LOG = LoggerFactory.getLogger(DefinitionResolver.class);
    private final DefinitionSource source;

    public DefinitionResolver(DefinitionSource source) {
        this.source = source;
    }

    /** The checkout's actions, then each offer's, then each distinct product's; disabled ones left out. */
    public List<ActionDefinition> forOrder(Order order) {
        Map<String, ActionDefinition> byId = new LinkedHashMap<>();
        addEnabled(byId, source.forCheckout(order.checkoutId()));
        for (String offerId : order.offerIds()) {
            addEnabled(byId, source.forOffer(offerId));
        }
        for (String productId : order.productIds()) {
            addEnabled(byId, source.forProduct(productId));
        }
        return new ArrayList<>(byId.values());
    }

    /** The definitions of every enabled subscription matching the event's type and source. */
    public List<ActionDefinition> forEvent(ShopEvent event) {
        if (!source.eventEnabled(event.type())) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Subscription subscription : source.subscriptions(event.type())) {
            if (subscription.matches(event)) {
                ids.addAll(subscription.definitionIds());
            }
        }
        Map<String, ActionDefinition> byId = new LinkedHashMap<>();
        for (String id : ids) {
            Optional<ActionDefinition> definition = source.byId(id);
            if (definition.isEmpty()) {
                LOG.warn(
                        "subscription for {} names definition {} which does not exist; ignored",
                        event.type().wireName(),
                        id);
                continue;
            }
            addEnabled(byId, List.of(definition.get()));
        }
        return new ArrayList<>(byId.values());
    }

    private static void addEnabled(Map<String, ActionDefinition> byId, List<ActionDefinition> definitions) {
        for (ActionDefinition d : definitions) {
            if (d.enabled()) {
                byId.putIfAbsent(d.id(), d);
            }
        }
    }
}
