package dev.postpurchase.http;

/** The peer did not answer in time: the connect, read or whole-call timeout expired. Worth retrying. */
public class HttpTimeoutException extends HttpCallException {
    public HttpTimeoutException(String redactedUrl, String message, Throwable cause) {
        super(redactedUrl, message, true, cause);
    }

    /** True. */
    @Override
    public boolean timedOut() {
        return true;
    }
}
