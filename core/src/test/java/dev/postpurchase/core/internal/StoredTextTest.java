package dev.postpurchase.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.RunStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoredTextTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void replacesEachNulWithTheReplacementCharacterAndKeepsOtherTextAsItIs() {
        String clean = "no NUL here: tab\\t, é, 😀";

        assertThat(StoredText.withoutNul("a\u0000b\u0000")).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(StoredText.withoutNul(clean)).isSameAs(clean);
        assertThat(StoredText.withoutNul(null)).isNull();
    }

    @Test
    void aRunStateAndAnAttemptRecordNeverHoldANul() {
        RunState state = new RunState(
                RunStatus.FAILED,
                1,
                1,
                1,
                null,
                "reason\u0000",
                500,
                "result\u0000",
                "skipped\u0000",
                null,
                null,
                0,
                0,
                T0);
        AttemptRecord attempt = new AttemptRecord(T0, 3, AttemptRecord.Outcome.FAILED, 500, "excerpt\u0000", "node");

        assertThat(state.lastError()).isEqualTo("reason\uFFFD");
        assertThat(state.result()).isEqualTo("result\uFFFD");
        assertThat(state.skipReason()).isEqualTo("skipped\uFFFD");
        assertThat(attempt.excerpt()).isEqualTo("excerpt\uFFFD");
        assertThat(RunState.failedAtCreation("bad \u0000", T0).lastError()).isEqualTo("bad \uFFFD");
    }
}
