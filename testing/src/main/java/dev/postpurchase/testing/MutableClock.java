package dev.postpurchase.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A controllable, thread-safe UTC clock: time moves only when a test moves it. */
public final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
    }

    /** A clock at 2026-01-01T00:00:00Z. */
    public static MutableClock atDefaultStart() {
        return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public synchronized Instant advance(Duration duration) {
        now = now.plus(duration);
        return now;
    }

    public void set(Instant value) {
        now = value;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public String toString() {
        return "MutableClock[" + now + "]";
    }
}
