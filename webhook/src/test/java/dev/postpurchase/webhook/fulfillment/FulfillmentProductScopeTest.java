package dev.postpurchase.webhook.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FulfillmentProductScopeTest {
    private static final FulfillmentWebhookConfig UNSCOPED = FulfillmentWebhookConfig.builder(
                    "https://licences.example.com/issue")
            .build();

    private static ActionRun runAt(ActionLevel level, String targetId, FulfillmentWebhookConfig config) {
        ActionDefinition definition = ActionDefinition.builder(FulfillmentWebhookExecutor.TYPE)
                .id("d")
                .on(level, targetId)
                .config(config)
                .build();
        return ActionRun.create(TriggerKind.ORDER, "o-1", definition, RetryPolicy.none(), Instant.EPOCH);
    }

    @Test
    void aProductLevelActionFulfilsOnlyTheLinesOfItsOwnProduct() {
        assertThat(FulfillmentWebhookExecutor.productScope(UNSCOPED, runAt(ActionLevel.PRODUCT, "app-1", UNSCOPED)))
                .isEqualTo("app-1");
    }

    @Test
    void offerAndCheckoutLevelActionsFulfilEveryLine() {
        assertThat(FulfillmentWebhookExecutor.productScope(UNSCOPED, runAt(ActionLevel.OFFER, "offer-1", UNSCOPED)))
                .isNull();
        assertThat(FulfillmentWebhookExecutor.productScope(UNSCOPED, runAt(ActionLevel.CHECKOUT, "c-1", UNSCOPED)))
                .isNull();
    }

    @Test
    void anExplicitProductIdWins() {
        FulfillmentWebhookConfig scoped = FulfillmentWebhookConfig.builder("https://licences.example.com/issue")
                .productId("app-2")
                .build();

        assertThat(FulfillmentWebhookExecutor.productScope(scoped, runAt(ActionLevel.PRODUCT, "app-1", scoped)))
                .isEqualTo("app-2");
    }
}
