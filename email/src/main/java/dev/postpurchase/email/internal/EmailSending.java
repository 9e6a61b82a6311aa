package dev.postpurchase.email.internal;

import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.DeliveryException;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.email.EmailMessage;
import dev.postpurchase.email.InvalidEmailException;
import dev.postpurchase.email.SentEmail;
import dev.postpurchase.email.spi.EmailTransport;
import java.time.Instant;

/** Builds the message of a rendered email for the order's customer and sends it, as an executor outcome. */
public final class EmailSending {
    private EmailSending() {}

    /** The message for the order's customer, addressed by display name with control characters flattened. */
    public static EmailMessage message(Order order, Rendered rendered, String messageId, Instant date) {
        String name = HeaderChecks.flatten(order.customer().displayName()).strip();
        if (name.equals(order.customer().email()) || name.length() > HeaderChecks.MAX_NAME) {
            name = null;
        }
        return EmailMessage.builder()
                .to(order.customer().email(), name)
                .subject(rendered.subject())
                .text(rendered.text())
                .html(rendered.html())
                .messageId(messageId)
                .header("Auto-Submitted", "auto-generated")
                .header("Content-Language", rendered.language())
                .date(date)
                .build();
    }

    /**
     * Sends and maps the result: succeeded with {@code result} on acceptance, the transport's failure as retryable
     * or permanent otherwise.
     */
    public static ExecutionOutcome send(EmailTransport transport, EmailMessage message, String result) {
        try {
            SentEmail sent = transport.send(message);
            return ExecutionOutcome.succeeded(result.replace("{messageId}", sent.messageId()));
        } catch (InvalidEmailException e) {
            return ExecutionOutcome.permanent("the email is invalid: " + e.getMessage());
        } catch (DeliveryException e) {
            return ExecutionOutcome.failed(e);
        }
    }
}
