package dev.postpurchase.systemeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle on a fake ticker: sleeping advances the ticker, so nothing waits on the wall clock. */
class SystemeIoThrottleTest {
    private static final Secret KEY_A = Secret.of("key-a-0000000000");
    private static final Secret KEY_B = Secret.of("key-b-0000000000");

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Duration> sleeps = new ArrayList<>();

    private SystemeIoThrottle.Builder throttle() {
        return SystemeIoThrottle.builder().ticker(nanos::get).sleeper(n -> {
            sleeps.add(Duration.ofNanos(n));
            nanos.addAndGet(n);
        });
    }

    @Test
    void theDefaultsSpaceCallsOneSecondApartWithoutBurst() {
        SystemeIoThrottle throttle = SystemeIoThrottle.defaults();

        assertThat(throttle.permitsPerSecond()).isEqualTo(1.0);
        assertThat(throttle.burst()).isEqualTo(1);
        assertThat(throttle.maxWait()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void aBurstOfCallsIsSpacedAtTheConfiguredRate() {
        SystemeIoThrottle throttle = throttle().permitsPerSecond(2).burst(1).build();

        for (int i = 0; i < 5; i++) {
            throttle.acquire(KEY_A);
        }

        assertThat(sleeps)
                .containsExactly(
                        Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500));
    }

    @Test
    void savedUpPermitsGoAtOnceUpToTheBurst() {
        SystemeIoThrottle throttle = throttle().permitsPerSecond(1).burst(3).build();

        for (int i = 0; i < 4; i++) {
            throttle.acquire(KEY_A);
        }

        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void eachApiKeyHasItsOwnBucket() {
        SystemeIoThrottle throttle = throttle().permitsPerSecond(1).burst(1).build();

        throttle.acquire(KEY_A);
        throttle.acquire(KEY_B);

        assertThat(sleeps).isEmpty();
    }

    @Test
    void aWaitLongerThanMaxWaitIsRefusedWithTheWaitAndTakesNoPermit() {
        SystemeIoThrottle throttle = throttle()
                .permitsPerSecond(0.1)
                .burst(1)
                .maxWait(Duration.ofSeconds(5))
                .build();
        throttle.acquire(KEY_A);

        assertThatThrownBy(() -> throttle.acquire(KEY_A))
                .isInstanceOfSatisfying(SystemeIoRateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(e.fromServer()).isFalse();
                    assertThat(e.statusCode()).isZero();
                });
        assertThat(sleeps).isEmpty();

        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        throttle.acquire(KEY_A);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aPauseAfterA429HoldsTheKeyBackForItsWait() {
        SystemeIoThrottle throttle = throttle()
                .permitsPerSecond(100)
                .burst(10)
                .maxWait(Duration.ofSeconds(5))
                .build();

        throttle.pause(KEY_A, Duration.ofSeconds(3));
        throttle.acquire(KEY_A);
        throttle.acquire(KEY_B);

        assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aShorterPauseNeverShortensALongerOne() {
        SystemeIoThrottle throttle = throttle()
                .permitsPerSecond(100)
                .burst(10)
                .maxWait(Duration.ofSeconds(30))
                .build();

        throttle.pause(KEY_A, Duration.ofSeconds(20));
        throttle.pause(KEY_A, Duration.ofSeconds(2));
        throttle.acquire(KEY_A);

        assertThat(sleeps).containsExactly(Duration.ofSeconds(20));
    }

    @Test
    void anInterruptedWaitKeepsTheInterruptFlag() {
        SystemeIoThrottle throttle = SystemeIoThrottle.builder()
                .permitsPerSecond(1)
                .burst(1)
                .ticker(nanos::get)
                .sleeper(n -> {
                    throw new InterruptedException();
                })
                .build();
        throttle.acquire(KEY_A);

        try {
            assertThatThrownBy(() -> throttle.acquire(KEY_A)).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theBuilderNamesEveryBadSetting() {
        assertThatThrownBy(() -> SystemeIoThrottle.builder()
                        .permitsPerSecond(0)
                        .burst(0)
                        .maxWait(Duration.ofSeconds(-1))
                        .build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                        .containsExactly("permitsPerSecond", "burst", "maxWait"));
    }

    @Test
    void neitherTheThrottleNorItsErrorsShowTheKey() {
        SystemeIoThrottle throttle =
                throttle().permitsPerSecond(0.01).maxWait(Duration.ZERO).build();
        throttle.acquire(KEY_A);

        assertThatThrownBy(() -> throttle.acquire(KEY_A))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY_A.reveal()));
        assertThat(throttle.toString()).doesNotContain(KEY_A.reveal());
    }
}
