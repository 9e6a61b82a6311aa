package dev.postpurchase.http;

/**
 * The exchange failed at the network level: unknown host, connection refused or reset, TLS failure. Worth retrying.
 */
public class HttpConnectionException extends HttpCallException {
    public HttpConnectionException(String redactedUrl, String message, Throwable cause) {
        super(redactedUrl, message, true, cause);
    }
}
