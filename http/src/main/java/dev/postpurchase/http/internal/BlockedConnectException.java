package dev.postpurchase.http.internal;

import java.io.IOException;

/** Raised by {@link GuardedSocketFactory} and {@link ConnectGuard} when a connection targets a blocked address. */
public final class BlockedConnectException extends IOException implements BlockedSignal {
    private final String detail;

    public BlockedConnectException(String detail) {
        super(detail);
        this.detail = detail;
    }

    @Override
    public String detail() {
        return detail;
    }
}
