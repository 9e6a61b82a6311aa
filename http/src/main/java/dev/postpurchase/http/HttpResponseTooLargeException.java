package dev.postpurchase.http;

/**
 * The response body was larger than the client's limit and the client was built to
 * {@linkplain GuardedHttpClient.Builder#rejectOversizedResponses(boolean) reject} such responses. Only the limit plus
 * one byte was read; the rest was never consumed.
 */
public class HttpResponseTooLargeException extends HttpCallException {
    private final int statusCode;
    private final long limitBytes;

    public HttpResponseTooLargeException(String redactedUrl, int statusCode, long limitBytes) {
        super(
                redactedUrl,
                "calling " + redactedUrl + ": HTTP " + statusCode + " with a body larger than " + limitBytes + " bytes",
                true,
                null);
        this.statusCode = statusCode;
        this.limitBytes = limitBytes;
    }

    /** The status the peer answered with. */
    public int statusCode() {
        return statusCode;
    }

    /** The {@link #statusCode()}. */
    @Override
    public Integer peerStatus() {
        return statusCode;
    }

    /** The limit that was exceeded, in bytes. */
    public long limitBytes() {
        return limitBytes;
    }
}
