package dev.postpurchase.http.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides which addresses the guarded client may connect to. Immutable and thread-safe.
 *
 * <p>The blocked table is the union of the ranges Svix's server, Discourse, smokescreen and Saleor block (see
 * {@code reference/webhooks.md} §3): every IPv4 and IPv6 range that is not globally reachable, plus the IPv6 prefixes
 * that embed an IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible). IPv4-mapped IPv6 addresses are unmapped first
 * and judged as IPv4. The JDK's {@code isSiteLocalAddress()} and friends are deliberately not used: they miss
 * fc00::/7, 100.64/10, 0/8, 240/4 and 198.18/15.
 *
 * <p>A development allow-list (empty by default) can exempt CIDR ranges and exact host names.
 */
public final class AddressRules {
    private static final List<Cidr> BLOCKED = List.of(
            Cidr.parse("this network", "0.0.0.0/8"),
            Cidr.parse("private", "10.0.0.0/8"),
            Cidr.parse("shared address space (CGNAT)", "100.64.0.0/10"),
            Cidr.parse("loopback", "127.0.0.0/8"),
            Cidr.parse("link-local (includes cloud metadata 169.254.169.254)", "169.254.0.0/16"),
            Cidr.parse("private", "172.16.0.0/12"),
            Cidr.parse("IETF protocol assignments", "192.0.0.0/24"),
            Cidr.parse("documentation", "192.0.2.0/24"),
            Cidr.parse("6to4 relay anycast", "192.88.99.0/24"),
            Cidr.parse("private", "192.168.0.0/16"),
            Cidr.parse("AS112", "192.175.48.0/24"),
            Cidr.parse("benchmarking", "198.18.0.0/15"),
            Cidr.parse("documentation", "198.51.100.0/24"),
            Cidr.parse("documentation", "203.0.113.0/24"),
            Cidr.parse("multicast", "224.0.0.0/4"),
            Cidr.parse("reserved (includes broadcast)", "240.0.0.0/4"),
            Cidr.parse("unspecified, loopback or IPv4-compatible IPv6", "::/96"),
            Cidr.parse("NAT64", "64:ff9b::/96"),
            Cidr.parse("NAT64 local-use", "64:ff9b:1::/48"),
            Cidr.parse("discard-only", "100::/64"),
            Cidr.parse("IETF protocol assignments (includes Teredo 2001::/32)", "2001::/23"),
            Cidr.parse("documentation", "2001:db8::/32"),
            Cidr.parse("6to4", "2002::/16"),
            Cidr.parse("documentation", "3fff::/20"),
            Cidr.parse("segment routing", "5f00::/16"),
            Cidr.parse("unique-local", "fc00::/7"),
            Cidr.parse("link-local", "fe80::/10"),
            Cidr.parse("site-local (deprecated)", "fec0::/10"),
            Cidr.parse("multicast", "ff00::/8"));

    private static final AddressRules STRICT = new AddressRules(List.of(), Set.of());

    private final List<Cidr> allowedRanges;
    private final Set<String> allowedHosts;

    private AddressRules(List<Cidr> allowedRanges, Set<String> allowedHosts) {
        this.allowedRanges = List.copyOf(allowedRanges);
        this.allowedHosts = Set.copyOf(allowedHosts);
    }

    /** Rules with an empty allow-list: every range in the blocked table is refused. */
    public static AddressRules strict() {
        return STRICT;
    }

    /**
     * Rules whose allow-list holds {@code entries}: each an IP address, a CIDR range, or an exact host name.
     *
     * @throws IllegalArgumentException if an entry is blank
     */
    public static AddressRules withAllowList(List<String> entries) {
        List<Cidr> ranges = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.trim();
            if (e.isEmpty()) {
                throw new IllegalArgumentException("allow-list entry must not be blank");
            }
            String addressPart = e.indexOf('/') >= 0 ? e.substring(0, e.indexOf('/')) : e;
            if (Cidr.literalBytes(addressPart) != null) {
                ranges.add(Cidr.parse("allowed for development", e));
            } else {
                hosts.add(e.toLowerCase(Locale.ROOT));
            }
        }
        return new AddressRules(ranges, Set.copyOf(hosts));
    }

    /** Whether the allow-list exempts this exact host name (case-insensitive). */
    public boolean isAllowedHost(String host) {
        return allowedHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    /** Whether the allow-list is empty. */
    public boolean isStrict() {
        return allowedRanges.isEmpty() && allowedHosts.isEmpty();
    }

    /**
     * Why {@code address} must not be contacted, or null if it may be. Addresses in the allow-list are always
     * allowed.
     */
    public @Nullable String blockReason(InetAddress address) {
        return blockReason(address.getAddress());
    }

    /** As {@link #blockReason(InetAddress)}, for raw address bytes (4 or 16). */
    public @Nullable String blockReason(byte[] raw) {
        byte[] bytes = unmap(raw);
        for (Cidr allowed : allowedRanges) {
            if (allowed.contains(bytes)) {
                return null;
            }
        }
        for (Cidr blocked : BLOCKED) {
            if (blocked.contains(bytes)) {
                return blocked.label();
            }
        }
        return null;
    }

    /** The IPv4 bytes of an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}); other addresses unchanged. */
    static byte[] unmap(byte[] raw) {
        if (raw.length != 16) {
            return raw;
        }
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return raw;
            }
        }
        if (raw[10] != (byte) 0xff || raw[11] != (byte) 0xff) {
            return raw;
        }
        return new byte[] {raw[12], raw[13], raw[14], raw[15]};
    }
}
