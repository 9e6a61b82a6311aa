package dev.postpurchase.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

class OutageTest {

    /** Keeps what would be logged, by level. */
    static final class RecordingLogger extends LegacyAbstractLogger {
        final List<String> lines = new ArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(
                Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
            lines.add(level + " " + messagePattern);
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }

    @Test
    void anOutageIsLoggedOnceWhenItStartsAndOnceWhenItEndsWhateverTheNumberOfFailures() {
        RecordingLogger log = new RecordingLogger();
        Outage outage = new Outage(log, "claiming runs");

        for (int i = 0; i < 50; i++) {
            outage.failed(new IllegalStateException("connection refused"), Duration.ofMillis(100));
        }
        outage.succeeded();
        outage.succeeded();

        assertThat(log.lines)
                .containsExactly(
                        "WARN {} failed; retrying with backoff, and logging again only when it works ({})",
                        "INFO {} works again after {} failed attempt(s) over {} ms");
    }

    @Test
    void attemptsBackOffExponentiallyUpToThirtySeconds() {
        Outage outage = new Outage(new RecordingLogger(), "claiming runs");
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            waits.add(outage.failed(new IllegalStateException("down"), Duration.ofMillis(100)));
        }

        assertThat(waits.subList(0, 4))
                .containsExactly(
                        Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));
        assertThat(waits.get(11)).isEqualTo(Duration.ofSeconds(30));
        assertThat(outage.ongoing()).isTrue();
        outage.succeeded();
        assertThat(outage.failed(new IllegalStateException("down again"), Duration.ofMillis(100)))
                .as("a new outage starts from the base again")
                .isEqualTo(Duration.ofMillis(100));
    }
}
