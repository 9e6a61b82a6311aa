package dev.postpurchase.webhook.fulfillment;

import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import java.util.ArrayList;
import java.util.List;

/**
 * One request of a fulfillment run: one order line, or one unit of it with separate multibuy.
 *
 * @param number 1-based position among the run's requests
 * @param line 1-based index of the line among the order's lines
 * @param unitIndex 1-based unit of the line (1 without separate multibuy)
 * @param quantity units covered: 1 with separate multibuy, else the line's quantity
 */
record UnitRequest(int number, int line, LineItem item, int unitIndex, int quantity) {

    /** Identifies the unit across attempts: the same line, unit and quantity. */
    String key() {
        return line + "/" + unitIndex + "/" + quantity;
    }

    /** The requests for {@code order}: the lines {@code lines} includes, in order. */
    static List<UnitRequest> plan(Order order, FulfilledLines lines, boolean separateMultibuy) {
        List<UnitRequest> plan = new ArrayList<>();
        List<LineItem> items = order.items();
        for (int i = 0; i < items.size(); i++) {
            LineItem item = items.get(i);
            if (!lines.includes(order, item)) {
                continue;
            }
            if (separateMultibuy) {
                for (int unit = 1; unit <= item.quantity(); unit++) {
                    plan.add(new UnitRequest(plan.size() + 1, i + 1, item, unit, 1));
                }
            } else {
                plan.add(new UnitRequest(plan.size() + 1, i + 1, item, 1, item.quantity()));
            }
        }
        return plan;
    }
}
