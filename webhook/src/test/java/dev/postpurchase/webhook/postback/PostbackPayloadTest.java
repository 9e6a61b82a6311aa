package dev.postpurchase.webhook.postback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.event.Contact;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.Funnel;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.SubscriptionInfo;
import dev.postpurchase.core.event.TransactionInfo;
import dev.postpurchase.core.order.OrderSource;
import dev.postpurchase.testing.TestOrders;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PostbackPayloadTest {
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");
    private static final List<String> DATA_KEYS =
            List.of("order", "contact", "transaction", "subscription", "funnel", "attributes");

    private static JsonNode json(ShopEvent event) throws Exception {
        return PostpurchaseJson.mapper()
                .readTree(PostbackPayload.of(event, "msg_abc").toBytes());
    }

    @ParameterizedTest
    @EnumSource(ShopEventType.class)
    void everyEventTypeHasTheEnvelopeAndEveryDataKeyWithNullWhereNothingApplies(ShopEventType type) throws Exception {
        JsonNode root = json(ShopEvent.builder("evt-" + type.ordinal(), type, EventSource.SHOP, AT)
                .build());

        assertThat(root.get("type").asText()).isEqualTo(type.wireName());
        assertThat(root.get("version").asInt()).isEqualTo(2);
        assertThat(root.get("id").asText()).isEqualTo("msg_abc");
        assertThat(root.get("event_id").asText()).isEqualTo("evt-" + type.ordinal());
        assertThat(root.get("timestamp").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(root.get("source").asText()).isEqualTo("shop");
        JsonNode data = root.get("data");
        assertThat(data.fieldNames()).toIterable().containsExactlyElementsOf(DATA_KEYS);
        for (String key : DATA_KEYS.subList(0, 5)) {
            assertThat(data.get(key).isNull()).as(key).isTrue();
        }
        assertThat(data.get("attributes").isObject()).isTrue();
    }

    @Test
    void anAdminRefundCarriesTheOrderContactAndTransactionAndANullFunnel() throws Exception {
        ShopEvent refund = ShopEvent.builder("evt-refund-1", ShopEventType.REFUND_APPLIED, EventSource.ADMIN, AT)
                .order(TestOrders.paidOrder("order-1").source(OrderSource.ADMIN).build())
                .contact(new Contact("contact-7", "aino.virtanen@example.com", "Aino", null))
                .transaction(new TransactionInfo("tx-order-1", 2500, "EUR", "stripe", null))
                .attribute("reason", "requested_by_customer")
                .build();

        JsonNode data = json(refund).get("data");

        assertThat(data.get("funnel").isNull()).isTrue();
        assertThat(data.get("subscription").isNull()).isTrue();
        assertThat(data.at("/order/order_id").asText()).isEqualTo("order-1");
        assertThat(data.at("/order/source").asText()).isEqualTo("admin");
        assertThat(data.at("/order/items/0/unit_price/decimal").asText()).isEqualTo("19.99");
        assertThat(data.at("/contact/id").asText()).isEqualTo("contact-7");
        assertThat(data.at("/contact/last_name").isNull()).isTrue();
        assertThat(data.at("/transaction/amount/minor").asLong()).isEqualTo(2500);
        assertThat(data.at("/transaction/amount/decimal").asText()).isEqualTo("25.00");
        assertThat(data.at("/transaction/amount/currency").asText()).isEqualTo("EUR");
        assertThat(data.at("/transaction/processor").asText()).isEqualTo("stripe");
        assertThat(data.at("/transaction/decline_reason").isNull()).isTrue();
        assertThat(data.at("/attributes/reason").asText()).isEqualTo("requested_by_customer");
    }

    @Test
    void aFunnelContactAndACancelledSubscriptionAreDescribed() throws Exception {
        ShopEvent contact = ShopEvent.builder("evt-c", ShopEventType.CONTACT_CREATED, EventSource.FUNNEL, AT)
                .contact(new Contact("contact-1", "lead@example.com", "Lea", "Lead"))
                .funnel(new Funnel("funnel-1", "Spring launch", "opt-in"))
                .build();
        JsonNode contactData = json(contact).get("data");
        assertThat(contactData.at("/funnel/name").asText()).isEqualTo("Spring launch");
        assertThat(contactData.at("/funnel/step").asText()).isEqualTo("opt-in");
        assertThat(contactData.at("/contact/email").asText()).isEqualTo("lead@example.com");
        assertThat(contactData.get("order").isNull()).isTrue();

        ShopEvent cancelled = ShopEvent.builder("evt-s", ShopEventType.SUBSCRIPTION_CANCELED, EventSource.SHOP, AT)
                .subscription(new SubscriptionInfo("sub-1", "plan-gold", "canceled", AT))
                .build();
        JsonNode subscription = json(cancelled).at("/data/subscription");
        assertThat(subscription.get("plan_id").asText()).isEqualTo("plan-gold");
        assertThat(subscription.get("canceled_at").asText()).isEqualTo("2026-01-02T03:04:05Z");

        ShopEvent declined = ShopEvent.builder("evt-d", ShopEventType.TRANSACTION_DECLINED, EventSource.FUNNEL, AT)
                .transaction(new TransactionInfo("tx-9", 4900, "EUR", "stripe", "insufficient_funds"))
                .build();
        assertThat(json(declined).at("/data/transaction/decline_reason").asText())
                .isEqualTo("insufficient_funds");
    }

    @Test
    void theBodyIsTheSameBytesEveryTime() {
        ShopEvent event = ShopEvent.builder("evt-1", ShopEventType.ORDER_COMPLETED, EventSource.SHOP, AT)
                .order(TestOrders.paidOrder("order-1").build())
                .build();
        assertThat(PostbackPayload.of(event, "msg_1").toBytes())
                .isEqualTo(PostbackPayload.of(event, "msg_1").toBytes());
    }
}
