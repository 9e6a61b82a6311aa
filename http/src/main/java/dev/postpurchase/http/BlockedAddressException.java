package dev.postpurchase.http;

/**
 * The target resolved to, or was written as, an address the client refuses to connect to (loopback, private,
 * link-local, cloud metadata, CGNAT, NAT64, 6to4, Teredo, unique-local, multicast, reserved...). Thrown before any
 * byte is sent to that address. Retrying does not help: the merchant must change the URL.
 */
public class BlockedAddressException extends HttpCallException {
    public BlockedAddressException(String redactedUrl, String message) {
        super(redactedUrl, message);
    }

    public BlockedAddressException(String redactedUrl, String message, Throwable cause) {
        super(redactedUrl, message, cause);
    }
}
