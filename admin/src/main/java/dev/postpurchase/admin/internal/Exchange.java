package dev.postpurchase.admin.internal;

import dev.postpurchase.admin.AdminRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** One request as the handler sees it, whatever container carries it. */
public interface Exchange extends AdminRequest {

    /** The query parameters, decoded. */
    Map<String, List<String>> query();

    /** The request body, at most {@code limit} bytes; more is an {@link IOException}. */
    byte[] body(int limit) throws IOException;

    /** The path the page is mounted at, without the trailing slash ({@code /admin}, or empty for the root). */
    String basePath();

    /** Whether the request came over TLS (as the container knows it). */
    boolean secure();
}
