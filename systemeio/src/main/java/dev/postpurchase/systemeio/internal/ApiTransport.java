package dev.postpurchase.systemeio.internal;

/**
 * Sends one {@link ApiRequest} to the API's base URL with the key and {@code Accept} headers and returns the
 * answer, whatever its status. Transport failures (timeouts, refused connections, blocked addresses, oversized
 * bodies) are thrown as the guarded HTTP client's exceptions. Thread-safe.
 */
public interface ApiTransport {
    ApiResponse send(ApiRequest request);
}
