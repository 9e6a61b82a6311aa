package dev.postpurchase.testing;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import java.util.Map;

/** Action definitions for tests, with an empty (or given) JSON config. */
public final class TestDefinitions {
    private TestDefinitions() {}

    /** An enabled definition of {@code type} with the config {@code {}}. */
    public static ActionDefinition definition(String id, String type, ActionLevel level, String targetId) {
        return ActionDefinition.builder(type)
                .id(id)
                .name("Test " + id)
                .on(level, targetId)
                .config(Map.of())
                .build();
    }

    /** An enabled definition with a config object serialised to JSON. */
    public static ActionDefinition definition(
            String id, String type, ActionLevel level, String targetId, Object config) {
        return ActionDefinition.builder(type)
                .id(id)
                .name("Test " + id)
                .on(level, targetId)
                .config(config)
                .build();
    }
}
