package dev.postpurchase.email.spi;

import dev.postpurchase.email.EmailDeliveryException;
import dev.postpurchase.email.EmailMessage;
import dev.postpurchase.email.SentEmail;

/**
 * Hands a finished {@link EmailMessage} to a mail system. {@link dev.postpurchase.email.SmtpMailer} is the SMTP
 * implementation; a backend that sends through an email API (SES, Postmark, Mailgun...) implements this interface and
 * passes its instance to the executors' builders instead.
 *
 * <p><b>Contract</b>:
 *
 * <ul>
 *   <li><b>Thread-safety:</b> {@link #send} is called from several worker threads at once; an implementation must be
 *       thread-safe (it may serialise sends internally).
 *   <li><b>Sender:</b> the transport owns the sender (From, envelope sender) and its default Reply-To; the message
 *       may override Reply-To.
 *   <li><b>Content:</b> the message is already validated (addresses, no control characters in headers); the
 *       transport must send both {@link EmailMessage#text()} and {@link EmailMessage#html()} as a
 *       multipart/alternative in UTF-8 and must use {@link EmailMessage#messageId()} as the Message-ID (or, for an
 *       API without Message-ID control, as its idempotency key) so a resend of the same run is recognisable.
 *   <li><b>Failures:</b> throw {@link EmailDeliveryException}: {@code retryable} when trying again later may help
 *       (connection refused or dropped, timeouts, 4xx replies, API 429/5xx), not retryable when it cannot (5xx
 *       rejection of a recipient, bad credentials); record the peer's reply in it. Exception messages must never
 *       contain credentials.
 *   <li><b>Idempotency:</b> a transport may be called again for the same message after a failure that happened
 *       after the peer accepted it; the stable Message-ID is what lets receivers and APIs deduplicate.
 * </ul>
 */
public interface EmailTransport extends AutoCloseable {

    /**
     * Sends one message.
     *
     * @return what the mail system accepted
     * @throws EmailDeliveryException when the message was not accepted
     */
    SentEmail send(EmailMessage message);

    /**
     * The domain of the Message-IDs the executors and the fulfillment delivery give messages sent through this
     * transport ({@code <key.purpose@domain>}), set once here instead of on each of them; null (the default): theirs,
     * else {@link dev.postpurchase.email.MessageIds#DEFAULT_DOMAIN}.
     */
    default @org.jspecify.annotations.Nullable String messageIdDomain() {
        return null;
    }

    /** Releases connections; further sends may reconnect or fail. Never throws a checked exception. */
    @Override
    default void close() {}
}
