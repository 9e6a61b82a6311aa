package dev.postpurchase.core.event;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Routes one event type to action definitions (postback channels, revoke actions, ...), only for events from the
 * listed sources, and only while enabled.
 *
 * @param definitionIds the definitions to run for each matching event, looked up in the definition source
 * @param sources the sources to notify for; all three by default
 */
public record Subscription(
        String id, ShopEventType eventType, List<String> definitionIds, Set<EventSource> sources, boolean enabled) {

    public Subscription {
        List<Violation> v = new ArrayList<>();
        if (id == null || id.isBlank()) {
            v.add(new Violation("id", "is required"));
        }
        if (eventType == null) {
            v.add(new Violation("eventType", "is required"));
        }
        if (definitionIds == null || definitionIds.isEmpty()) {
            v.add(new Violation("definitionIds", "must name at least one action definition"));
        }
        if (sources == null || sources.isEmpty()) {
            v.add(new Violation("sources", "must name at least one source"));
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
        definitionIds = List.copyOf(definitionIds);
        sources = java.util.Collections.unmodifiableSet(EnumSet.copyOf(sources));
    }

    /** An enabled subscription for every source. */
    public static Subscription of(String id, ShopEventType eventType, List<String> definitionIds) {
        return new Subscription(id, eventType, definitionIds, EnumSet.allOf(EventSource.class), true);
    }

    /** Whether an event of this subscription's type from {@code source} is routed. */
    public boolean matches(ShopEvent event) {
        return enabled && event.type() == eventType && sources.contains(event.source());
    }
}
