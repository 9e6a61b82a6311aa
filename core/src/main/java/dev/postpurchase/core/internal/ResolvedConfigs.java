package dev.postpurchase.core.internal;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.spi.ActionExecutor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Config snapshots read into their executor's config type and resolved ({@link ActionExecutor#resolve}: validated,
 * secrets parsed, URL checked), kept by their JSON: a snapshot never changes, so each distinct one is parsed and
 * resolved once per node instead of on every attempt. A config that fails is not kept (the failure is the run's, and
 * a switched-off integration may come back); the integration switch itself is read on every attempt ({@link
 * ExecutorNeeds#unmet}).
 */
public final class ResolvedConfigs {
    private static final int CAPACITY = 1024;

    private record Key(String type, String json) {}

    private final Map<Key, ExecutorNeeds.Resolved<?>> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, ExecutorNeeds.Resolved<?>> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * The resolved config of a snapshot.
     *
     * @throws ValidationException when it does not read or validate
     */
    @SuppressWarnings("unchecked")
    public <C> ExecutorNeeds.Resolved<C> resolve(ActionExecutor<C> executor, String configJson) {
        Key key = new Key(executor.type(), configJson);
        synchronized (cache) {
            ExecutorNeeds.Resolved<?> cached = cache.get(key);
            if (cached != null) {
                return (ExecutorNeeds.Resolved<C>) cached;
            }
        }
        ExecutorNeeds.Resolved<C> resolved = ExecutorNeeds.read(executor, configJson);
        synchronized (cache) {
            cache.put(key, resolved);
        }
        return resolved;
    }
}
