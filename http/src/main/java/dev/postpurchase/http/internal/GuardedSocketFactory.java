package dev.postpurchase.http.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Creates sockets that check the address they are about to connect to, the last line of defence: whatever path
 * produced the address (DNS, an IP literal, a pooled route), a blocked address is refused before the TCP handshake,
 * so no byte reaches it. Thread-safe.
 */
public final class GuardedSocketFactory extends SocketFactory {
    private final AddressRules rules;
    private final @Nullable InetSocketAddress trustedProxy;

    /**
     * @param trustedProxy the configured proxy, whose own address is allowed, or null
     */
    public GuardedSocketFactory(AddressRules rules, @Nullable InetSocketAddress trustedProxy) {
        this.rules = rules;
        this.trustedProxy = trustedProxy;
    }

    @Override
    public Socket createSocket() {
        return new GuardedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = new GuardedSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = new GuardedSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = new GuardedSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = new GuardedSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }

    /** Throws if {@code endpoint} is a blocked address that neither the allow-list nor the proxy setting exempts. */
    void check(SocketAddress endpoint) throws IOException {
        if (!(endpoint instanceof InetSocketAddress inet)) {
            throw new BlockedConnectException("refusing a non-IP socket address");
        }
        if (trustedProxy != null && isProxy(inet)) {
            return;
        }
        InetAddress address = inet.getAddress();
        if (address == null) {
            throw new BlockedConnectException("refusing an unresolved socket address");
        }
        if (rules.isAllowedHost(inet.getHostString())) {
            return;
        }
        String reason = rules.blockReason(address);
        if (reason != null) {
            throw new BlockedConnectException(
                    "refused to connect to blocked address " + address.getHostAddress() + " (" + reason + ")");
        }
    }

    private boolean isProxy(InetSocketAddress inet) {
        InetSocketAddress proxy = trustedProxy;
        if (proxy == null || proxy.getPort() != inet.getPort()) {
            return false;
        }
        if (proxy.getHostString().equalsIgnoreCase(inet.getHostString())) {
            return true;
        }
        return proxy.getAddress() != null && proxy.getAddress().equals(inet.getAddress());
    }

    private final class GuardedSocket extends Socket {
        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            check(endpoint);
            super.connect(endpoint, timeout);
        }
    }
}
