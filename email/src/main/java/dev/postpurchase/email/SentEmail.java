package dev.postpurchase.email;

import java.util.List;
import java.util.Objects;

/**
 * What a transport reports after the mail system accepted a message.
 *
 * @param messageId the Message-ID the message was sent with, angle brackets included
 * @param recipients the addresses the message was accepted for
 */
public record SentEmail(String messageId, List<String> recipients) {
    public SentEmail {
        Objects.requireNonNull(messageId, "messageId");
        recipients = List.copyOf(recipients);
    }
}
