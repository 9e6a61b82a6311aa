package dev.postpurchase.admin;

import dev.postpurchase.core.action.ActionDefinition;

/**
 * The "Test webhook" button of one action type: sends one sample request with a definition's configuration, as a
 * run would, and reports what the receiver answered. Creates no run. Registered with {@link
 * AdminPage.Builder#tester(String, DefinitionTester)}; for the fulfillment webhook that is
 *
 * <pre>{@code
 * .tester(fulfillment.type(), definition -> {
 *     FulfillmentTestResult r = fulfillment.testWebhook(definition.config(FulfillmentWebhookConfig.class));
 *     return new TestOutcome(r.metContract(), r.status(), r.bodyPrefix(), r.elapsed().toMillis(), r.problem());
 * })
 * }</pre>
 *
 * <p>Called from request threads; implementations must be thread-safe. A {@link
 * dev.postpurchase.core.ValidationException} is shown by field, like a refused save.
 */
@FunctionalInterface
public interface DefinitionTester {

    /** Sends the test request for {@code definition} (as stored, secrets included) and reports the answer. */
    TestOutcome test(ActionDefinition definition);
}
