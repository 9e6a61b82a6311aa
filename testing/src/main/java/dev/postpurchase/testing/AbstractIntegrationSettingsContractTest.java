package dev.postpurchase.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.spi.IntegrationSetting;
import dev.postpurchase.core.spi.IntegrationSettingsStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link IntegrationSettingsStore} keeps, one final test per rule, races included. Prove a store
 * by a subclass:
 *
 * <pre>{@code
 * class MySettingsContractTest extends AbstractIntegrationSettingsContractTest {
 *     @Override
 *     protected IntegrationSettingsStore createSettings() {
 *         return new MySettings(dataSource);
 *     }
 * }
 * }</pre>
 *
 * Each test gets a fresh, empty store; {@link #destroySettings} releases it afterwards.
 */
public abstract class AbstractIntegrationSettingsContractTest {
    private static final int WRITERS = 8;

    /** The settings under test. */
    protected IntegrationSettingsStore settings;

    private final String kajabi = "kajabi-" + UUID.randomUUID().toString().substring(0, 8);
    private final String systemeio = "systemeio-" + UUID.randomUUID().toString().substring(0, 8);

    /** A new, empty store. */
    protected abstract IntegrationSettingsStore createSettings();

    /** Releases a store after a test; closes it when it is {@link AutoCloseable}. */
    protected void destroySettings(IntegrationSettingsStore settings) throws Exception {
        if (settings instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @BeforeEach
    final void setUpSettings() {
        settings = createSettings();
    }

    @AfterEach
    final void tearDownSettings() throws Exception {
        destroySettings(settings);
    }

    @Nested
    @DisplayName("Invariant 1: a saved setting is read back whole, at once, and saving again changes nothing")
    public class SavingAndReading {

        @Test
        @DisplayName("every integration is disabled and without a key until saved")
        public final void everyIntegrationStartsDisabled() {
            assertThat(settings.isEnabled(kajabi)).isFalse();
            assertThat(settings.apiKey(kajabi)).isEmpty();
            assertThat(settings.find(kajabi)).isEmpty();
            assertThat(settings.list()).isEmpty();
        }

        @Test
        @DisplayName("a saved setting is read back at once, flag and key together")
        public final void aSavedSettingIsReadBack() {
            assertThat(settings.isEnabled(systemeio)).isFalse(); // a cached store has now read it

            settings.save(IntegrationSetting.enabled(systemeio, Secret.of("sk-live-0123456789")));

            assertThat(settings.isEnabled(systemeio)).isTrue();
            assertThat(settings.apiKey(systemeio)).contains(Secret.of("sk-live-0123456789"));
            assertThat(settings.find(systemeio))
                    .contains(IntegrationSetting.enabled(systemeio, Secret.of("sk-live-0123456789")));
            assertThat(settings.isEnabled(kajabi)).isFalse();
        }

        @Test
        @DisplayName("saving replaces the whole setting: disabling keeps the key only when the saved setting has it")
        public final void savingReplacesTheWholeSetting() {
            settings.save(IntegrationSetting.enabled(systemeio, Secret.of("sk-1")));

            settings.save(
                    IntegrationSetting.enabled(systemeio, Secret.of("sk-1")).withEnabled(false));
            assertThat(settings.isEnabled(systemeio)).isFalse();
            assertThat(settings.apiKey(systemeio)).contains(Secret.of("sk-1"));

            settings.save(IntegrationSetting.enabled(systemeio));
            assertThat(settings.isEnabled(systemeio)).isTrue();
            assertThat(settings.apiKey(systemeio)).as("saved without a key").isEmpty();
        }

        @Test
        @DisplayName("saving the same setting twice is the same as once")
        public final void savingIsIdempotent() {
            IntegrationSetting setting = IntegrationSetting.enabled(kajabi);
            settings.save(setting);
            settings.save(setting);

            assertThat(settings.list()).containsExactly(setting);
        }

        @Test
        @DisplayName("every saved integration is listed by id")
        public final void everySavedIntegrationIsListed() {
            settings.save(IntegrationSetting.enabled(systemeio, Secret.of("sk-2")));
            settings.save(IntegrationSetting.disabled(kajabi));

            assertThat(settings.list())
                    .containsExactly(
                            IntegrationSetting.disabled(kajabi),
                            IntegrationSetting.enabled(systemeio, Secret.of("sk-2")));
        }
    }

    @Nested
    @DisplayName("Invariant 2: bad input is refused naming the field, and the key never shows")
    public class Refusals {

        @Test
        @DisplayName("a bad integration id or a blank key is refused naming the field, and nothing is stored")
        public final void badInputIsRefusedNamingTheField() {
            assertThatThrownBy(() -> settings.save(IntegrationSetting.enabled(" ")))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("integration"));
            assertThatThrownBy(() -> settings.save(IntegrationSetting.enabled("x".repeat(101))))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("integration"));
            assertThatThrownBy(() -> settings.save(IntegrationSetting.enabled("kajabi\n")))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("integration"));
            assertThatThrownBy(() -> settings.save(IntegrationSetting.enabled(systemeio, Secret.of("  "))))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("apiKey"));

            assertThat(settings.list()).isEmpty();
            assertThat(settings.isEnabled(systemeio)).isFalse();
        }

        @Test
        @DisplayName("the setting's text never shows the API key")
        public final void theApiKeyNeverAppearsInText() {
            settings.save(IntegrationSetting.enabled(systemeio, Secret.of("sk-very-secret")));

            assertThat(settings.find(systemeio).orElseThrow().toString()).doesNotContain("sk-very-secret");
            assertThat(settings.toString()).doesNotContain("sk-very-secret");
        }
    }

    @Nested
    @DisplayName("Invariant 3: concurrent saves never mix two writes")
    public class Races {

        @Test
        @DisplayName("concurrent saves leave exactly one of them: flag and key always from the same write")
        public final void concurrentSavesNeverMixTwoWrites() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<IntegrationSetting> written = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                written.add(new IntegrationSetting(systemeio, i % 2 == 0, Secret.of("sk-writer-" + i)));
            }
            try {
                CountDownLatch ready = new CountDownLatch(WRITERS);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (IntegrationSetting setting : written) {
                    futures.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        for (int round = 0; round < 5; round++) {
                            settings.save(setting);
                        }
                        return null;
                    }));
                }
                assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            IntegrationSetting stored = settings.find(systemeio).orElseThrow();
            assertThat(written).contains(stored);
            assertThat(settings.isEnabled(systemeio)).isEqualTo(stored.enabled());
            assertThat(settings.apiKey(systemeio)).contains(stored.apiKey());
            assertThat(new HashSet<>(settings.list())).isEqualTo(Set.of(stored));
        }
    }
}
