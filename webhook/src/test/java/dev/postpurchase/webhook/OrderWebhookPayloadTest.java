package dev.postpurchase.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.order.Affiliate;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.OrderSource;
import dev.postpurchase.core.order.PaymentSequence;
import dev.postpurchase.core.order.Totals;
import dev.postpurchase.core.order.Transaction;
import dev.postpurchase.core.order.Trial;
import dev.postpurchase.testing.TestOrders;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderWebhookPayloadTest {
    private static JsonNode tree(OrderWebhookPayload payload) throws Exception {
        return PostpurchaseJson.mapper().readTree(payload.toBytes());
    }

    @Test
    void aPaidOrderGivesOneSchemaValidDocumentWithPerItemAmountsAndTotals() throws Exception {
        Order order = TestOrders.paidOrder("order-1").build();
        OrderWebhookPayload payload = OrderWebhookPayload.orderPaid(order, "msg_abc");
        assertThat(PayloadSchema.errors(payload.toJson())).isEmpty();

        JsonNode doc = tree(payload);
        assertThat(doc.get("type").asText()).isEqualTo("order.paid");
        assertThat(doc.get("version").asInt()).isEqualTo(2);
        assertThat(doc.get("id").asText()).isEqualTo("msg_abc");
        assertThat(doc.get("timestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
        JsonNode data = doc.get("data");
        assertThat(data.get("order_id").asText()).isEqualTo("order-1");
        assertThat(data.get("offer_ids").isArray()).isTrue();
        assertThat(data.get("offer_ids")).hasSize(1);
        assertThat(data.get("product_ids").toString()).isEqualTo("[\"product-1\",\"product-2\"]");
        assertThat(data.get("checkout_languages").toString()).isEqualTo("[\"fi\",\"en\",\"sv\"]");
        assertThat(data.get("source").asText()).isEqualTo("shop");
        assertThat(data.get("marketing_opt_in").asBoolean()).isTrue();
        assertThat(data.get("customer").get("custom_fields").get("company-size").asText())
                .isEqualTo("10");
        assertThat(data.get("customer").get("address").get("country").asText()).isEqualTo("FI");

        JsonNode first = data.get("items").get(0);
        assertThat(data.get("items")).hasSize(2);
        assertThat(first.get("quantity").asInt()).isEqualTo(2);
        assertThat(first.get("amounts_known").asBoolean()).isTrue();
        assertThat(first.get("unit_price").toString())
                .isEqualTo("{\"minor\":1999,\"decimal\":\"19.99\",\"currency\":\"EUR\"}");
        assertThat(first.get("subtotal").get("minor").asLong()).isEqualTo(3998);
        assertThat(first.get("discount").get("decimal").asText()).isEqualTo("2.00");
        assertThat(first.get("tax").get("decimal").asText()).isEqualTo("9.11");
        assertThat(first.get("total").get("decimal").asText()).isEqualTo("47.09");
        assertThat(data.get("totals").get("total").get("decimal").asText()).isEqualTo("96.09");
        assertThat(data.get("transaction").get("amount").get("minor").asLong()).isEqualTo(9609);
        assertThat(data.get("transaction").get("paid_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(data.get("affiliate").isNull()).isTrue();
        assertThat(data.get("payment").asText()).isEqualTo("first");
    }

    @Test
    void aLineWhoseAmountsAreUnknownSaysSoInsteadOfShowingAPrice() throws Exception {
        Order.Builder builder = TestOrders.paidOrder("kajabi-55555")
                .currency("USD")
                .items(List.of())
                .totals(new Totals(9000, 0, 0, 9000));
        for (String offer : List.of("11111", "22222", "33333")) {
            builder.item(LineItem.builder()
                    .productId(offer)
                    .offerId(offer)
                    .title("Offer " + offer)
                    .amountsUnknown()
                    .build());
        }

        OrderWebhookPayload payload = OrderWebhookPayload.orderPaid(builder.build(), "msg_5");

        assertThat(PayloadSchema.errors(payload.toJson())).isEmpty();
        JsonNode data = tree(payload).get("data");
        for (JsonNode item : data.get("items")) {
            assertThat(item.get("amounts_known").asBoolean()).isFalse();
            for (String amount : List.of("unit_price", "subtotal", "discount", "tax", "total")) {
                assertThat(item.has(amount)).as(amount + " is present").isTrue();
                assertThat(item.get(amount).isNull()).as(amount + " is null").isTrue();
            }
        }
        assertThat(data.get("totals").get("total").get("minor").asLong()).isEqualTo(9000);
        assertThat(data.get("transaction").get("amount").get("decimal").asText())
                .isEqualTo("90.00");
        ObjectNode invented = payload.toJsonTree();
        ((ObjectNode) invented.get("data").get("items").get(0)).put("amounts_known", true);
        assertThat(PayloadSchema.errors(invented))
                .as("known amounts must not be null")
                .isNotEmpty();
    }

    @Test
    void theSignedBytesAreTheUtf8OfTheJsonTextEvenForCharactersOutsideTheBasicPlane() {
        Order order = TestOrders.paidOrder("o-emoji")
                .customer(Customer.builder("aino@example.com")
                        .firstName("Aino \uD83D\uDE00 Väinö")
                        .build())
                .build();
        OrderWebhookPayload payload = OrderWebhookPayload.orderPaid(order, "msg_emoji");

        assertThat(payload.toBytes()).isEqualTo(payload.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(new String(payload.toBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("Aino \uD83D\uDE00 Väinö");
    }

    @Test
    void aRenewalOrInstalmentSaysWhichPaymentItIs() throws Exception {
        Order renewal =
                TestOrders.paidOrder("o-r").payment(PaymentSequence.RENEWAL).build();
        Order instalment =
                TestOrders.paidOrder("o-i").payment(PaymentSequence.INSTALMENT).build();

        assertThat(tree(OrderWebhookPayload.orderPaid(renewal, "msg_r"))
                        .get("data")
                        .get("payment")
                        .asText())
                .isEqualTo("renewal");
        assertThat(tree(OrderWebhookPayload.orderPaid(instalment, "msg_i"))
                        .get("data")
                        .get("payment")
                        .asText())
                .isEqualTo("instalment");
        assertThat(PayloadSchema.errors(
                        OrderWebhookPayload.orderPaid(renewal, "msg_r").toJson()))
                .isEmpty();
    }

    @Test
    void aSparseOrderKeepsEveryOptionalFieldAsNullAndStaysValid() throws Exception {
        Order order = Order.builder()
                .id("o-2")
                .checkoutId("c-2")
                .source(OrderSource.API)
                .language("en")
                .currency("EUR")
                .customer(Customer.builder("buyer@example.com").build())
                .item(LineItem.builder()
                        .productId("p")
                        .title("Thing")
                        .unitPrice(500)
                        .build())
                .transaction(new Transaction("tx-2", null, null, null, Instant.parse("2026-02-03T04:05:06.789Z")))
                .build();
        OrderWebhookPayload payload = OrderWebhookPayload.orderPaid(order, "msg_2");
        assertThat(PayloadSchema.errors(payload.toJson())).isEmpty();
        JsonNode data = tree(payload).get("data");
        assertThat(data.get("offer_id").isNull()).isTrue();
        assertThat(data.get("offer_ids")).isEmpty();
        assertThat(data.get("customer").get("first_name").isNull()).isTrue();
        assertThat(data.get("customer").get("address").isNull()).isTrue();
        assertThat(data.get("transaction").get("paid_at").asText()).isEqualTo("2026-02-03T04:05:06.789Z");
    }

    @Test
    void decimalsFollowTheCurrencyDigitsAndAffiliateAndTrialAreObjects() throws Exception {
        Order yen = TestOrders.paidOrder("o-jpy")
                .currency("JPY")
                .items(List.of(LineItem.builder()
                        .productId("p")
                        .offerId("offer-1")
                        .title("Kit")
                        .quantity(3)
                        .unitPrice(500)
                        .discount(100)
                        .build()))
                .affiliate(new Affiliate("aff-1", "Partner"))
                .trial(new Trial(14, Instant.parse("2026-01-15T00:00:00Z")))
                .build();
        OrderWebhookPayload payload = OrderWebhookPayload.orderPaid(yen, "msg_3");
        assertThat(PayloadSchema.errors(payload.toJson())).isEmpty();
        JsonNode data = tree(payload).get("data");
        assertThat(data.get("totals").get("total").toString())
                .isEqualTo("{\"minor\":1400,\"decimal\":\"1400\",\"currency\":\"JPY\"}");
        assertThat(data.get("affiliate").get("id").asText()).isEqualTo("aff-1");
        assertThat(data.get("trial").get("days").asInt()).isEqualTo(14);

        Order dinar = TestOrders.paidOrder("o-kwd")
                .currency("KWD")
                .items(List.of(LineItem.builder()
                        .productId("p")
                        .title("Kit")
                        .unitPrice(1500)
                        .build()))
                .trial(new Trial(7, null))
                .build();
        OrderWebhookPayload kwd = OrderWebhookPayload.orderPaid(dinar, "msg_4");
        assertThat(PayloadSchema.errors(kwd.toJson())).isEmpty();
        assertThat(tree(kwd)
                        .get("data")
                        .get("items")
                        .get(0)
                        .get("unit_price")
                        .get("decimal")
                        .asText())
                .isEqualTo("1.500");
    }

    @Test
    void theBodyIsByteIdenticalForTheSameOrderAndId() {
        Order order = TestOrders.paidOrder("order-1").build();
        assertThat(OrderWebhookPayload.orderPaid(order, "msg_x").toBytes())
                .isEqualTo(OrderWebhookPayload.orderPaid(order, "msg_x").toBytes());
    }

    @Test
    void theSchemaRejectsCommaJoinedValuesAndAmountsWithoutDecimals() {
        Order order = TestOrders.paidOrder("order-1").build();
        ObjectNode joined = OrderWebhookPayload.orderPaid(order, "msg_a").toJsonTree();
        ((ObjectNode) joined.get("data")).put("offer_ids", "offer-1,offer-2");
        assertThat(PayloadSchema.errors(joined)).isNotEmpty();

        ObjectNode noDecimal = OrderWebhookPayload.orderPaid(order, "msg_a").toJsonTree();
        ((ObjectNode) noDecimal.get("data").get("totals").get("total")).remove("decimal");
        assertThat(PayloadSchema.errors(noDecimal)).isNotEmpty();

        ObjectNode extra = OrderWebhookPayload.orderPaid(order, "msg_a").toJsonTree();
        ((ObjectNode) extra.get("data")).put("items_csv", "a,b");
        assertThat(PayloadSchema.errors(extra)).isNotEmpty();

        ObjectNode badDate = OrderWebhookPayload.orderPaid(order, "msg_a").toJsonTree();
        badDate.put("timestamp", "yesterday");
        assertThat(PayloadSchema.errors(badDate)).isNotEmpty();
    }

    @Test
    void payloadMdDocumentsEveryFieldAndItsExampleIsSchemaValid() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("PAYLOAD.md"));
        int start = doc.indexOf("```json") + "```json".length();
        String example = doc.substring(start, doc.indexOf("```", start));
        assertThat(PayloadSchema.errors(example)).isEmpty();
        JsonNode generated = tree(OrderWebhookPayload.orderPaid(
                TestOrders.paidOrder("order-1001").build(), "msg_9b1deb4d3b7d4bad9bdd2b0d7b3dcb6d"));
        assertThat(PostpurchaseJson.mapper().readTree(example)).isEqualTo(generated);
        List<String> names = new java.util.ArrayList<>();
        collectFieldNames(generated, names);
        for (String name : names) {
            assertThat(doc).as("PAYLOAD.md documents " + name).contains("`" + name + "`");
        }
    }

    private static void collectFieldNames(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (!node.has("minor") && !"custom_fields".equals(e.getKey())) {
                    out.add(e.getKey());
                }
                if (!"custom_fields".equals(e.getKey())) {
                    collectFieldNames(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectFieldNames(child, out));
        }
    }
}
