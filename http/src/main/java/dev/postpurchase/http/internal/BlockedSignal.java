package dev.postpurchase.http.internal;

/** Marks the I/O exceptions the guard raises inside OkHttp, so the client can turn them into a typed refusal. */
public interface BlockedSignal {
    /** Which address was refused and why; contains no URL, path or query. */
    String detail();
}
