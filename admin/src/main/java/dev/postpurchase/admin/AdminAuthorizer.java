package dev.postpurchase.admin;

import java.util.Optional;

/**
 * Decides who is behind a request to the admin page, and with which role. The integrator must supply one: the page
 * has no built-in login and no default that lets anyone in. Typical implementations read the application's own
 * session ({@code request.unwrap(HttpServletRequest.class)}), a header set by an authenticating proxy that only it
 * can set, or verify a signed token.
 *
 * <p>Called for every request, the page's static files included, from any thread; implementations must be
 * thread-safe and quick. An exception thrown here refuses the request (as unauthenticated) and is logged.
 */
@FunctionalInterface
public interface AdminAuthorizer {

    /**
     * The staff member behind {@code request}, or empty to refuse it with 401 (not signed in, or not staff).
     */
    Optional<AdminPrincipal> authorize(AdminRequest request);
}
