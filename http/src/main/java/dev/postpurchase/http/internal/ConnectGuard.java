package dev.postpurchase.http.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.Route;

/**
 * A network interceptor that checks the route of the connection a request is about to be written to, pooled
 * connections included. Runs after the connection is established and before any request byte is written.
 */
public final class ConnectGuard implements Interceptor {
    private final AddressRules rules;

    public ConnectGuard(AddressRules rules) {
        this.rules = rules;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Connection connection = chain.connection();
        if (connection != null) {
            Route route = connection.route();
            if (route.proxy().type() == Proxy.Type.DIRECT
                    && !rules.isAllowedHost(route.address().url().host())) {
                InetAddress address = route.socketAddress().getAddress();
                String reason = address == null ? "unresolved" : rules.blockReason(address);
                if (reason != null) {
                    throw new BlockedConnectException("refused to send to blocked address "
                            + (address == null ? "?" : address.getHostAddress()) + " (" + reason + ")");
                }
            }
        }
        return chain.proceed(chain.request());
    }
}
