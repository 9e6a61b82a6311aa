package dev.postpurchase.kajabi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AllocationTest {

    @Property(tries = 500)
    void partsAlwaysSumToTheAmountAndStayWithinOneUnitOfTheExactShare(
            @ForAll @LongRange(min = 0, max = 10_000_000_000L) long amount,
            @ForAll @Size(min = 1, max = 8) List<@LongRange(min = 0, max = 1_000_000_000L) Long> weightList) {
        long[] weights = weightList.stream().mapToLong(Long::longValue).toArray();
        long[] parts = Allocation.split(amount, weights);

        assertThat(Arrays.stream(parts).sum()).isEqualTo(amount);
        long weightSum = Arrays.stream(weights).sum();
        for (int i = 0; i < parts.length; i++) {
            assertThat(parts[i]).isNotNegative();
            double exact = weightSum == 0 ? (double) amount / weights.length : (double) amount * weights[i] / weightSum;
            assertThat(Math.abs(parts[i] - exact)).isLessThan(1.0 + 1e-6 * Math.max(1, exact));
        }
    }

    @Test
    void remaindersGoToTheLargestFractionsThenToTheFirstParts() {
        assertThat(Allocation.split(100, new long[] {1, 1, 1})).containsExactly(34, 33, 33);
        assertThat(Allocation.split(10, new long[] {1, 2})).containsExactly(3, 7);
        assertThat(Allocation.split(9000, new long[] {5000, 2000, 2000})).containsExactly(5000, 2000, 2000);
        assertThat(Allocation.split(7, new long[] {0, 0})).containsExactly(4, 3);
        assertThat(Allocation.split(-5, new long[] {1, 1})).containsExactly(0, 0);
        assertThat(Allocation.split(5, new long[] {})).isEmpty();
    }
}
