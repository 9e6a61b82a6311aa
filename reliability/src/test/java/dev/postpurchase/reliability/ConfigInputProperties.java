package dev.postpurchase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.http.GuardedHttpClient;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Action configs of every executor (webhook, Kajabi grant and revoke, Systeme.io grant and revoke, receipt, custom
 * email, fulfillment webhook, postback), mutated at random from a valid one: {@link ActionExecutors#validate} accepts
 * them or throws {@link ValidationException} naming config fields, never another exception.
 */
class ConfigInputProperties {
    private static GuardedHttpClient http;
    private static AllExecutors all;
    private static ActionExecutors executors;
    private static final Map<String, AtomicLong> ACCEPTED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> REJECTED = new ConcurrentHashMap<>();

    @BeforeContainer
    static void build() {
        http = GuardedHttpClient.createDefault();
        all = new AllExecutors(http);
        executors = ActionExecutors.of(all.executors);
    }

    @AfterContainer
    static void close() {
        all.close();
        http.close();
        Map<String, String> byType = new TreeMap<>();
        ACCEPTED.forEach((type, n) -> byType.put(
                type,
                n.get() + " accepted / "
                        + REJECTED.computeIfAbsent(type, t -> new AtomicLong()).get() + " rejected"));
        Figures.report(
                "Bad input: action configs through ActionExecutors.validate (jqwik)",
                "mutated configs per type: " + byType,
                "every rejection a ValidationException naming config fields; 0 other exceptions");
    }

    private static ActionLevel levelFor(String type) {
        return type.equals("receipt-email") ? ActionLevel.CHECKOUT : ActionLevel.PRODUCT;
    }

    @Property(tries = 1500)
    void aMutatedConfigIsAcceptedOrRejectedWithAValidationException(@ForAll long seed) {
        Random random = new Random(seed);
        List<String> types = List.copyOf(new java.util.TreeSet<>(all.validConfigs.keySet()));
        String type = types.get(random.nextInt(types.size()));
        JsonNode valid = PostpurchaseJson.mapper().valueToTree(all.validConfigs.get(type));
        String json = random.nextInt(10) == 0
                ? Hostile.text(random)
                : Hostile.mutate(valid, random, 1 + random.nextInt(5)).toString();
        Assume.that(!Hostile.isJsonNull(json));
        ActionDefinition definition;
        try {
            definition = ActionDefinition.builder(type)
                    .id("def-" + seed)
                    .name("property")
                    .on(levelFor(type), levelFor(type) == ActionLevel.CHECKOUT ? "checkout-1" : "product-1")
                    .configJson(json)
                    .build();
        } catch (ValidationException e) {
            assertThat(e.fields()).containsOnly("config");
            return;
        }
        try {
            executors.validate(definition);
            ACCEPTED.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
        } catch (ValidationException e) {
            REJECTED.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
            assertThat(e.fields()).allMatch(f -> f.startsWith("config") || f.equals("level"));
            Evidence.exception(e);
        }
    }

    @Property(tries = 20)
    void everyValidConfigPassesValidation(@ForAll long seed) {
        for (Map.Entry<String, Object> e : all.validConfigs.entrySet()) {
            ActionDefinition definition = ActionDefinition.builder(e.getKey())
                    .id("valid-" + e.getKey())
                    .on(levelFor(e.getKey()), "target-" + (seed & 7))
                    .config(e.getValue())
                    .build();
            executors.validate(definition);
            ACCEPTED.computeIfAbsent(e.getKey(), t -> new AtomicLong()).incrementAndGet();
        }
    }
}
