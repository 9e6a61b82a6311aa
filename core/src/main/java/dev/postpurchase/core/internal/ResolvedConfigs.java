package dev.postpurchase.core.internal;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.spi.ActionExecutor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Config snapshots read into their executor's config type and validated, kept by their JSON: a snapshot never
 * changes, so each distinct one is parsed and validated once per node instead of on every attempt. A config that
 * fails validation is not kept (the failure is the run's, and a switched-off integration may come back).
 */
public final class ResolvedConfigs {
    private static final int CAPACITY = 1024;

    private record Key(String type, String json) {}

    private final Map<Key, Object> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * The validated config of a snapshot.
     *
     * @throws ValidationException when it does not read or validate
     */
    public <C> C resolve(ActionExecutor<C> executor, String configJson) {
        Key key = new Key(executor.type(), configJson);
        synchronized (cache) {
            Object cached = cache.get(key);
            if (cached != null) {
                return executor.configType().cast(cached);
            }
        }
        C config = ActionExecutors.readAndValidate(executor, configJson);
        synchronized (cache) {
            cache.put(key, config);
        }
        return config;
    }
}
