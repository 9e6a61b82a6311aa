package dev.postpurchase.admin;

import java.util.Optional;

/**
 * What an {@link AdminAuthorizer} may look at in a request to the admin page: headers, cookies and the peer's
 * address, the same whether the page runs as a servlet or standalone, and the container's own request object through
 * {@link #unwrap} (for example the {@code HttpServletRequest} whose session or user principal the application's
 * login already set).
 */
public interface AdminRequest {

    /** The HTTP method, upper case. */
    String method();

    /** The path below the page's mount point, starting with {@code /}. */
    String path();

    /** The first value of a request header, if present (names are case-insensitive). */
    Optional<String> header(String name);

    /** The value of a cookie, if present. */
    Optional<String> cookie(String name);

    /** The address of the peer that sent the request (a proxy's, behind one). */
    String remoteAddress();

    /**
     * The container's request: {@code jakarta.servlet.http.HttpServletRequest} under {@link AdminServlet}, {@code
     * com.sun.net.httpserver.HttpExchange} under {@link AdminServer}; empty when it is not of {@code type}.
     */
    <T> Optional<T> unwrap(Class<T> type);
}
