package dev.postpurchase.email;

import dev.postpurchase.core.spi.DeliveryException;
import org.jspecify.annotations.Nullable;

/**
 * A message was not accepted by the mail system. {@link #retryable()} says whether trying again later may help:
 * true for refused or dropped connections, timeouts and 4xx replies; false for permanent 5xx rejections (an unknown
 * recipient, a refused sender) and bad credentials. The message names the cause and, where the server answered,
 * quotes its reply; it never contains credentials.
 */
public class EmailDeliveryException extends DeliveryException {
    private final @Nullable Integer replyCode;
    private final @Nullable String serverReply;
    private final boolean timedOut;

    /**
     * @param message what failed, free of secrets
     * @param retryable whether a later attempt may succeed
     * @param replyCode the SMTP (or API) status code the server answered, if any
     * @param serverReply the server's reply text as received, if any
     * @param timedOut whether the server did not answer in time
     * @param cause the underlying exception, if any
     */
    public EmailDeliveryException(
            String message,
            boolean retryable,
            @Nullable Integer replyCode,
            @Nullable String serverReply,
            boolean timedOut,
            @Nullable Throwable cause) {
        super(message, retryable, cause);
        this.replyCode = replyCode;
        this.serverReply = serverReply;
        this.timedOut = timedOut;
    }

    /** A failure without a server reply, for example a refused connection. */
    public EmailDeliveryException(String message, boolean retryable, @Nullable Throwable cause) {
        this(message, retryable, null, null, false, cause);
    }

    /** The SMTP reply code (for example 550) or API status, when the server answered. */
    public @Nullable Integer replyCode() {
        return replyCode;
    }

    /** The server's reply as received (for example {@code 550 5.1.1 User unknown}), when it answered. */
    public @Nullable String serverReply() {
        return serverReply;
    }

    /** The {@link #replyCode()}. */
    @Override
    public @Nullable Integer peerStatus() {
        return replyCode;
    }

    /** Whether the server did not answer within the configured timeout. */
    @Override
    public boolean timedOut() {
        return timedOut;
    }
}
