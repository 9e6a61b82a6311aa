package dev.postpurchase.http;

/**
 * The URL is not acceptable: unparseable, not https (unless the client allows http), carrying user info, an empty
 * host, or control characters such as CR/LF. The message never repeats the URL itself beyond its redacted form.
 */
public class InvalidUrlException extends HttpCallException {
    public InvalidUrlException(String redactedUrl, String message) {
        super(redactedUrl, message);
    }
}
