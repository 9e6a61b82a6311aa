package dev.postpurchase.core.spi;

import dev.postpurchase.core.order.Order;
import java.util.List;

/**
 * What a fulfillment webhook hands over for the customer: the merchant's instructions and every unit's response.
 *
 * @param idempotencyKey stable for the run; a mailer derives the Message-ID from it so a resend is recognisable
 * @param instructionsHtml the merchant's instructions as written: untrusted HTML, which a delivery must sanitise
 *     before showing it (the email module's delivery keeps the tags of a custom email's rich text)
 */
public record FulfillmentMessage(
        String runId, String idempotencyKey, Order order, String instructionsHtml, List<FulfilledUnit> units) {
    public FulfillmentMessage {
        units = List.copyOf(units);
    }
}
