package dev.postpurchase.http.internal;

import java.net.UnknownHostException;

/** Raised by {@link FilteringDns} when every resolved address of a host is blocked. */
public final class BlockedLookupException extends UnknownHostException implements BlockedSignal {
    private final String detail;

    public BlockedLookupException(String detail) {
        super(detail);
        this.detail = detail;
    }

    @Override
    public String detail() {
        return detail;
    }
}
