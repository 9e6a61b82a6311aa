package dev.postpurchase.http.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Dns;
import org.jspecify.annotations.Nullable;

/**
 * A resolver that drops every blocked address from what its delegate returns, and refuses the host if nothing is
 * left. OkHttp connects only to addresses its {@link Dns} returns, so a host that re-resolves to an internal address
 * (DNS rebinding) is caught on every lookup. Numeric IPv4 forms ({@code 2130706433}, {@code 0x7f.1}) are parsed here
 * rather than handed to the system resolver. Thread-safe when the delegate is.
 */
public final class FilteringDns implements Dns {
    private final Dns delegate;
    private final AddressRules rules;
    private final @Nullable String trustedProxyHost;

    /**
     * @param trustedProxyHost the configured proxy's host name, resolved without filtering, or null
     */
    public FilteringDns(Dns delegate, AddressRules rules, @Nullable String trustedProxyHost) {
        this.delegate = delegate;
        this.rules = rules;
        this.trustedProxyHost = trustedProxyHost;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        if (rules.isAllowedHost(hostname) || hostname.equalsIgnoreCase(trustedProxyHost)) {
            return delegate.lookup(hostname);
        }
        byte[] numeric = Ipv4Forms.parse(hostname);
        List<InetAddress> candidates =
                numeric != null ? List.of(InetAddress.getByAddress(hostname, numeric)) : delegate.lookup(hostname);
        List<InetAddress> allowed = new ArrayList<>(candidates.size());
        String firstReason = null;
        InetAddress firstBlocked = null;
        for (InetAddress address : candidates) {
            String reason = rules.blockReason(address);
            if (reason == null) {
                allowed.add(address);
            } else if (firstReason == null) {
                firstReason = reason;
                firstBlocked = address;
            }
        }
        if (allowed.isEmpty()) {
            if (firstBlocked == null) {
                throw new UnknownHostException("no address for host");
            }
            throw new BlockedLookupException("host resolves only to blocked addresses (" + firstBlocked.getHostAddress()
                    + ": " + firstReason + ")");
        }
        return List.copyOf(allowed);
    }
}
