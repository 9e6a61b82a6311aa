package dev.postpurchase.webhook.fulfillment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.spi.FulfilledUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The run result of a fulfillment run: the units fulfilled so far with their response bodies, and whether they were
 * handed to the customer. Written as the partial result after a failed attempt and as the result on success; read
 * back from {@code ExecutionContext.previousResult()} so no fulfilled unit is requested again.
 *
 * <pre>{@code
 * {"version":1,"delivered":false,"units":[{"line":1,"unit_index":1,"quantity":1,"product_id":"p-1",
 *   "title":"Course","body":"KEY-1"}]}
 * }</pre>
 */
final class FulfillmentProgress {
    static final int VERSION = 1;

    private FulfillmentProgress() {}

    /** A fulfilled unit with the position that identifies it across attempts. */
    record Done(int line, int unitIndex, int quantity, String productId, String title, String body) {
        String key() {
            return line + "/" + unitIndex + "/" + quantity;
        }

        FulfilledUnit toUnit() {
            return new FulfilledUnit(productId, title, unitIndex, quantity, body);
        }
    }

    /** The units recorded in {@code result} by key; empty when there is none or it is not a progress document. */
    static Map<String, Done> read(@Nullable String result) {
        Map<String, Done> done = new LinkedHashMap<>();
        if (result == null || result.isBlank()) {
            return done;
        }
        JsonNode root;
        try {
            root = PostpurchaseJson.mapper().readTree(result);
        } catch (Exception e) {
            return done;
        }
        if (root == null
                || root.path("version").asInt() != VERSION
                || !root.path("units").isArray()) {
            return done;
        }
        for (JsonNode unit : root.path("units")) {
            if (!unit.path("body").isTextual() || !unit.path("line").isInt()) {
                continue;
            }
            Done d = new Done(
                    unit.path("line").asInt(),
                    unit.path("unit_index").asInt(),
                    unit.path("quantity").asInt(),
                    unit.path("product_id").asText(""),
                    unit.path("title").asText(""),
                    unit.path("body").asText());
            done.put(d.key(), d);
        }
        return done;
    }

    /** The document for {@code units}. */
    static String write(List<Done> units, boolean delivered) {
        ObjectNode root = PostpurchaseJson.mapper().createObjectNode();
        root.put("version", VERSION);
        root.put("delivered", delivered);
        ArrayNode array = root.putArray("units");
        for (Done d : units) {
            ObjectNode node = array.addObject();
            node.put("line", d.line());
            node.put("unit_index", d.unitIndex());
            node.put("quantity", d.quantity());
            node.put("product_id", d.productId());
            node.put("title", d.title());
            node.put("body", d.body());
        }
        return PostpurchaseJson.write(root);
    }
}
