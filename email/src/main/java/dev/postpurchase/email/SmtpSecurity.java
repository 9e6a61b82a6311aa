package dev.postpurchase.email;

/** How {@link SmtpMailer} protects the connection. */
public enum SmtpSecurity {
    /**
     * Plain text. Only for a relay on the same host or a test server: credentials are refused with it unless the
     * host is a loopback name or address. Default port 25.
     */
    NONE(25),
    /**
     * Connect in plain text and upgrade with STARTTLS before anything else; a server that does not offer STARTTLS is
     * refused (nothing is sent in clear). The server certificate and host name are verified. Default port 587.
     */
    STARTTLS(587),
    /** Implicit TLS from the first byte (SMTPS); certificate and host name verified. Default port 465. */
    SSL(465);

    private final int defaultPort;

    SmtpSecurity(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** The customary port for this mode. */
    public int defaultPort() {
        return defaultPort;
    }
}
