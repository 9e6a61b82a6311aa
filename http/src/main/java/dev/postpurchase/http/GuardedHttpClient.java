package dev.postpurchase.http;

import dev.postpurchase.core.Violations;
import dev.postpurchase.http.internal.AddressRules;
import dev.postpurchase.http.internal.BlockedLookupException;
import dev.postpurchase.http.internal.BlockedSignal;
import dev.postpurchase.http.internal.ConnectGuard;
import dev.postpurchase.http.internal.FilteringDns;
import dev.postpurchase.http.internal.GuardedSocketFactory;
import dev.postpurchase.http.internal.Ipv4Forms;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client every integration uses to call a merchant-configured URL. Built on OkHttp with these guarantees:
 *
 * <ul>
 *   <li><b>https only</b>, unless {@link Builder#allowHttp(boolean)}; no user info in URLs.
 *   <li><b>SSRF filtering</b> in three places: IP-literal hosts (including {@code [::ffff:127.0.0.1]}, decimal
 *       {@code 2130706433}, hex {@code 0x7f.1} and octal forms) are refused before anything else; host names resolve
 *       through a filtering resolver that drops every blocked address and refuses the host when none is left; and
 *       every socket checks the address it connects to, so DNS rebinding cannot slip through. Blocked: loopback,
 *       private, link-local (cloud metadata 169.254.169.254), CGNAT, multicast, reserved and documentation ranges,
 *       unique-local and link-local IPv6, NAT64, 6to4, Teredo, IPv4-compatible IPv6, with IPv4-mapped IPv6 judged as
 *       IPv4. A blocked target gets no byte.
 *   <li><b>No redirects</b>: a 3xx is returned as is, never followed.
 *   <li><b>No proxy</b> unless {@link Builder#proxy(Proxy)}; the system proxy settings are ignored. With a proxy, the
 *       proxy resolves names, so it must do its own egress filtering (smokescreen-style).
 *   <li><b>Timeouts</b> for connect, read/write and the whole call; <b>bounded reads</b>: at most
 *       {@link Builder#maxResponseBytes(long)} bytes of the body are read, the connection is then dropped.
 *   <li><b>CR/LF refused</b> in URLs and headers ({@link HttpRequestSpec}); one request per call (OkHttp's silent
 *       retry on connection failure is off, retries are the pipeline's business).
 *   <li><b>No secrets in logs or messages</b>: URLs only ever appear as {@link SafeUrls#redact(String)}; header values
 *       and bodies are never logged.
 * </ul>
 *
 * <p>An explicit development allow-list ({@link Builder#allowForDevelopment(String...)}, empty by default) can exempt
 * hosts or ranges such as loopback for local testing. Never enable it in production.
 *
 * <p>Thread-safe; build one per configuration and share it. {@link #close()} releases its connection pool and threads.
 */
public final class GuardedHttpClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedHttpClient.class);

    /** The default limit on response bodies: 1 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

    private final OkHttpClient ok;
    private final AddressRules rules;
    private final boolean allowHttp;
    private final long maxResponseBytes;
    private final boolean rejectOversized;
    private final String userAgent;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration callTimeout;
    private final boolean proxied;

    private GuardedHttpClient(Builder b) {
        this.rules = b.allowList.isEmpty() ? AddressRules.strict() : AddressRules.withAllowList(b.allowList);
        this.allowHttp = b.allowHttp;
        this.maxResponseBytes = b.maxResponseBytes;
        this.rejectOversized = b.rejectOversized;
        this.userAgent = b.userAgent;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.callTimeout = b.callTimeout;
        Proxy proxy = b.proxy == null ? Proxy.NO_PROXY : b.proxy;
        this.proxied = proxy.type() != Proxy.Type.DIRECT;
        InetSocketAddress proxyAddress =
                proxy.type() != Proxy.Type.DIRECT && proxy.address() instanceof InetSocketAddress a ? a : null;
        this.ok = new OkHttpClient.Builder()
                .proxy(proxy)
                .dns(new FilteringDns(b.dns, rules, proxyAddress == null ? null : proxyAddress.getHostString()))
                .socketFactory(new GuardedSocketFactory(rules, proxyAddress))
                .addNetworkInterceptor(new ConnectGuard(rules))
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .connectTimeout(b.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(b.readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(b.readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(b.callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    /** A builder with the defaults: https only, no allow-list, no proxy, 10 s connect, 30 s read and call, 1 MiB. */
    public static Builder builder() {
        return new Builder();
    }

    /** A client with every default. */
    public static GuardedHttpClient createDefault() {
        return builder().build();
    }

    /** Whether plain http URLs are accepted. */
    public boolean allowsHttp() {
        return allowHttp;
    }

    /** The most body bytes read from one response. */
    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    /** The connect timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The read (and write) timeout. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** The timeout for the whole exchange, body reading included. */
    public Duration callTimeout() {
        return callTimeout;
    }

    /**
     * Checks {@code url} against this client's static policy without any network access: parseable http(s) URL,
     * https unless http is allowed, no user info, no control characters, and an IP-literal host (any form) not in a
     * blocked range. Host names are only checked when called. Use it to validate merchant configuration on save.
     *
     * @return the parsed URL
     * @throws InvalidUrlException if the URL is not acceptable
     * @throws BlockedAddressException if the host is an IP literal in a blocked range
     */
    public HttpUrl validateUrl(String url) {
        if (url.isBlank()) {
            throw new InvalidUrlException(SafeUrls.redact(url), "url: must not be blank");
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c == 0x7f || Character.isISOControl(c) || Character.isWhitespace(c)) {
                throw new InvalidUrlException(
                        SafeUrls.redact(url), "url: contains CR, LF, whitespace or another control character");
            }
        }
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new InvalidUrlException(SafeUrls.redact(url), "url: not a valid http or https URL");
        }
        if (!parsed.isHttps() && !allowHttp) {
            throw new InvalidUrlException(
                    SafeUrls.redact(url),
                    "url: must use https (plain http only with a client built with allowHttp(true), for local"
                            + " development)");
        }
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            throw new InvalidUrlException(SafeUrls.redact(url), "url: must not contain user info");
        }
        String host = parsed.host();
        if (host.isEmpty()) {
            throw new InvalidUrlException(SafeUrls.redact(url), "url: has no host");
        }
        if (!rules.isAllowedHost(host)) {
            byte[] literal = literalAddress(host);
            if (literal != null) {
                String reason = rules.blockReason(literal);
                if (reason != null) {
                    String safe = SafeUrls.redact(url);
                    throw new BlockedAddressException(
                            safe,
                            "refused to call " + safe + ": the host is a blocked address (" + reason + "); for local"
                                    + " development only, exempt it with allowForDevelopment(...)");
                }
            }
        }
        return parsed;
    }

    /**
     * As {@link #validateUrl(String)}, and also resolves a host name through this client's filtering resolver, so a
     * name that resolves only to blocked addresses ({@code https://localhost}, an internal name) is refused when a
     * merchant saves it rather than at the first attempt. A name that does not resolve (yet) is accepted; it is
     * checked again at every connect.
     *
     * @return the parsed URL
     * @throws InvalidUrlException if the URL is not acceptable
     * @throws BlockedAddressException if the host is, or resolves only to, blocked addresses
     */
    public HttpUrl validateUrlAndHost(String url) {
        HttpUrl parsed = validateUrl(url);
        if (proxied) {
            return parsed;
        }
        try {
            ok.dns().lookup(parsed.host());
        } catch (BlockedLookupException e) {
            String safe = SafeUrls.redact(parsed);
            throw new BlockedAddressException(
                    safe,
                    "refused " + safe + ": " + e.detail() + "; for local development only, exempt it with"
                            + " allowForDevelopment(...)",
                    e);
        } catch (UnknownHostException e) {
            // not resolvable now: accepted, and checked again when called
        }
        return parsed;
    }

    /**
     * Checks {@code url} as {@link #validateUrl(String)} does and keeps the result, so requests built from it ({@link
     * HttpRequestSpec#builder(String, CheckedUrl)}) are not checked again by this client; the address is still
     * checked at connect time. Executors call it once when they resolve a config.
     *
     * @throws InvalidUrlException if the URL is not acceptable
     * @throws BlockedAddressException if the host is an IP literal in a blocked range
     */
    public CheckedUrl checkUrl(String url) {
        return new CheckedUrl(validateUrl(url), this);
    }

    /**
     * Sends {@code spec} and reads the response, up to the body limit (the request's own limit and call timeout, when
     * it sets them, replace the client's). Every status (2xx, 3xx, 4xx, 5xx) is returned
     * as an {@link HttpResult}; map it with {@link HttpOutcomes}.
     *
     * @throws InvalidUrlException if the URL breaks the policy of {@link #validateUrl(String)}
     * @throws BlockedAddressException if the target is, resolves to, or connects to a blocked address; nothing was
     *     sent to it
     * @throws HttpTimeoutException if the connect, read or call timeout expired
     * @throws HttpConnectionException for other network failures (unknown host, refused, reset, TLS)
     * @throws HttpResponseTooLargeException if the body exceeds the limit and the client rejects oversized responses
     */
    public HttpResult execute(HttpRequestSpec spec) {
        CheckedUrl checked = spec.checkedUrl();
        CheckedUrl mine = checked != null && checked.checkedBy(this) ? checked : null;
        HttpUrl url = mine != null ? mine.url() : validateUrl(spec.url());
        Request.Builder request = new Request.Builder().url(url).header("User-Agent", userAgent);
        spec.headers().forEach(request::header);
        byte[] body = spec.body();
        RequestBody requestBody = null;
        if (body != null || Set.of("POST", "PUT", "PATCH").contains(spec.method())) {
            requestBody = RequestBody.create(body == null ? new byte[0] : body, null);
            String contentType = spec.contentType();
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
        }
        request.method(spec.method(), requestBody);
        long start = System.nanoTime();
        Call call = ok.newCall(request.build());
        Duration timeout = spec.callTimeout();
        if (timeout != null) {
            call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        Long specLimit = spec.maxResponseBytes();
        long limit = specLimit == null ? maxResponseBytes : specLimit;
        try (Response response = call.execute()) {
            Bounded read = readBounded(response.body(), limit);
            if (read.truncated) {
                call.cancel();
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "{} {} -> HTTP {} ({} body bytes{}) in {} ms",
                        spec.method(),
                        redacted(mine, url),
                        response.code(),
                        read.bytes.length,
                        read.truncated ? ", truncated" : "",
                        elapsed.toMillis());
            }
            if (read.truncated && rejectOversized) {
                throw new HttpResponseTooLargeException(redacted(mine, url), response.code(), limit);
            }
            return new HttpResult(
                    response.code(), response.headers().toMultimap(), read.bytes, read.truncated, elapsed);
        } catch (IOException e) {
            String safe = redacted(mine, url);
            HttpCallException failure = translate(e, call, safe);
            LOG.debug("{} {} failed: {}", spec.method(), safe, failure.getMessage());
            throw failure;
        }
    }

    /** Releases the connection pool and the dispatcher's threads. The client must not be used afterwards. */
    @Override
    public void close() {
        ok.connectionPool().evictAll();
        ok.dispatcher().executorService().shutdown();
    }

    @Override
    public String toString() {
        return "GuardedHttpClient[allowHttp=" + allowHttp + ", allowList=" + (rules.isStrict() ? "off" : "on")
                + ", maxResponseBytes=" + maxResponseBytes + ", connect=" + connectTimeout + ", read=" + readTimeout
                + ", call=" + callTimeout + "]";
    }

    private record Bounded(byte[] bytes, boolean truncated) {}

    private static Bounded readBounded(@Nullable ResponseBody body, long maxResponseBytes) throws IOException {
        if (body == null) {
            return new Bounded(new byte[0], false);
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        long wanted = maxResponseBytes + 1;
        while (buffer.size() < wanted) {
            long n = source.read(buffer, Math.min(8192, wanted - buffer.size()));
            if (n == -1) {
                break;
            }
        }
        boolean truncated = buffer.size() > maxResponseBytes;
        byte[] bytes = buffer.readByteArray(Math.min(buffer.size(), maxResponseBytes));
        return new Bounded(bytes, truncated);
    }

    private static byte @Nullable [] literalAddress(String host) {
        if (host.indexOf(':') >= 0) {
            try {
                return InetAddress.getByName(host.indexOf('%') >= 0 ? host.substring(0, host.indexOf('%')) : host)
                        .getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return Ipv4Forms.parse(host);
    }

    /** The URL as logs and errors may show it, worked out only when one needs it. */
    private static String redacted(@Nullable CheckedUrl mine, HttpUrl url) {
        return mine != null ? mine.redacted() : SafeUrls.redact(url);
    }

    private static HttpCallException translate(IOException e, Call call, String safe) {
        BlockedSignal blocked = findBlocked(e);
        if (blocked != null) {
            return new BlockedAddressException(safe, "refused to call " + safe + ": " + blocked.detail(), e);
        }
        if (e instanceof InterruptedIOException || call.isCanceled()) {
            return new HttpTimeoutException(safe, "timed out calling " + safe, e);
        }
        if (e instanceof UnknownHostException) {
            return new HttpConnectionException(safe, "unknown host calling " + safe, e);
        }
        return new HttpConnectionException(
                safe, "connection failure calling " + safe + " (" + e.getClass().getSimpleName() + ")", e);
    }

    private static @Nullable BlockedSignal findBlocked(Throwable root) {
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> queue = new ArrayList<>(List.of(root));
        while (!queue.isEmpty()) {
            Throwable t = queue.remove(queue.size() - 1);
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof BlockedSignal signal) {
                return signal;
            }
            if (t.getCause() != null) {
                queue.add(t.getCause());
            }
            queue.addAll(List.of(t.getSuppressed()));
        }
        return null;
    }

    /** Mutable, not thread-safe builder. {@link #build()} validates its arguments, naming the one at fault. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(30);
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private boolean rejectOversized;
        private boolean allowHttp;
        private final List<String> allowList = new ArrayList<>();
        private @Nullable Proxy proxy;
        private String userAgent = "postpurchase/0.1";
        private Dns dns = Dns.SYSTEM;

        private Builder() {}

        /** Timeout for establishing the TCP (and TLS) connection; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
            return this;
        }

        /** Timeout between two reads (or writes) on the socket; default 30 s. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = Objects.requireNonNull(timeout, "readTimeout");
            return this;
        }

        /** Timeout for the whole exchange, DNS to the end of the body; default 30 s. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = Objects.requireNonNull(timeout, "callTimeout");
            return this;
        }

        /** The most response body bytes read; what the peer sends beyond it is never read. Default 1 MiB. */
        public Builder maxResponseBytes(long maxBytes) {
            this.maxResponseBytes = maxBytes;
            return this;
        }

        /**
         * When true, a body over the limit raises {@link HttpResponseTooLargeException}; when false (default) the
         * result holds the first {@code maxResponseBytes} and {@link HttpResult#bodyTruncated()} is true.
         */
        public Builder rejectOversizedResponses(boolean reject) {
            this.rejectOversized = reject;
            return this;
        }

        /** Accepts plain http URLs too. Default false: https only. */
        public Builder allowHttp(boolean allow) {
            this.allowHttp = allow;
            return this;
        }

        /**
         * Development only: exempts these hosts from SSRF filtering. Each entry is an IP address, a CIDR range
         * ({@code 127.0.0.0/8}, {@code ::1/128}) or an exact host name ({@code localhost}). Empty by default.
         */
        public Builder allowForDevelopment(String... hostsOrRanges) {
            for (String entry : hostsOrRanges) {
                allowList.add(Objects.requireNonNull(entry, "hostsOrRanges"));
            }
            return this;
        }

        /** Development only: exempts IPv4 and IPv6 loopback ({@code 127.0.0.0/8}, {@code ::1}). */
        public Builder allowLoopbackForDevelopment() {
            return allowForDevelopment("127.0.0.0/8", "::1/128");
        }

        /**
         * Sends every request through this proxy (default: none, system settings ignored). The proxy resolves target
         * names itself, so the client's DNS filter does not apply: the proxy must filter egress (smokescreen-style).
         * IP-literal targets are still checked, and the proxy's own address is allowed.
         */
        public Builder proxy(Proxy proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return this;
        }

        /** The User-Agent header sent with every request; default {@code postpurchase/0.1}. */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /**
         * The resolver under the SSRF filter (default: the system resolver). Whatever it returns is still filtered;
         * tests use it to make a name resolve to a chosen address.
         */
        public Builder dns(Dns dns) {
            this.dns = Objects.requireNonNull(dns, "dns");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws dev.postpurchase.core.ValidationException naming every bad argument: a timeout that is not
         *     positive, a body limit not between 1 and 256 MiB, a blank allow-list entry, a user agent with control
         *     characters
         */
        public GuardedHttpClient build() {
            Violations v = new Violations();
            v.requirePositive("connectTimeout", connectTimeout);
            v.requirePositive("readTimeout", readTimeout);
            v.requirePositive("callTimeout", callTimeout);
            v.check(
                    maxResponseBytes >= 1 && maxResponseBytes <= 256L * 1024 * 1024,
                    "maxResponseBytes",
                    "must be between 1 and 268435456");
            v.check(allowList.stream().noneMatch(String::isBlank), "allowForDevelopment", "entries must not be blank");
            v.check(
                    !userAgent.isBlank() && userAgent.chars().noneMatch(c -> c < 0x20 || c >= 0x7f),
                    "userAgent",
                    "must be non-blank printable ASCII");
            v.throwIfAny();
            return new GuardedHttpClient(this);
        }
    }
}
