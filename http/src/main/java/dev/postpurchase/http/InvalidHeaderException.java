package dev.postpurchase.http;

/**
 * A request header has an invalid name or a value with CR, LF or another control or non-ASCII character (header
 * injection). The message names the header but never shows its value.
 */
public class InvalidHeaderException extends HttpCallException {
    public InvalidHeaderException(String redactedUrl, String message) {
        super(redactedUrl, message);
    }
}
