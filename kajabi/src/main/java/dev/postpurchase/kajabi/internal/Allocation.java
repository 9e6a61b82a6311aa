package dev.postpurchase.kajabi.internal;

import java.math.BigInteger;
import java.util.Arrays;

/** Splits an amount into parts proportional to weights, exactly (largest-remainder method). */
public final class Allocation {
    private Allocation() {}

    /**
     * Parts of {@code amount} proportional to {@code weights}, summing exactly to {@code amount}. All weights zero
     * (or negative) counts as equal weights. Remainder units go to the parts with the largest fractional share,
     * ties to the earlier part, so the result is deterministic. A non-positive amount gives zeros.
     */
    public static long[] split(long amount, long[] weights) {
        int n = weights.length;
        long[] parts = new long[n];
        if (n == 0 || amount <= 0) {
            return parts;
        }
        long[] w = new long[n];
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < n; i++) {
            w[i] = Math.max(0, weights[i]);
            sum = sum.add(BigInteger.valueOf(w[i]));
        }
        if (sum.signum() == 0) {
            Arrays.fill(w, 1);
            sum = BigInteger.valueOf(n);
        }
        BigInteger total = BigInteger.valueOf(amount);
        BigInteger[] remainders = new BigInteger[n];
        long assigned = 0;
        for (int i = 0; i < n; i++) {
            BigInteger[] qr = total.multiply(BigInteger.valueOf(w[i])).divideAndRemainder(sum);
            parts[i] = qr[0].longValueExact();
            remainders[i] = qr[1];
            assigned += parts[i];
        }
        long left = amount - assigned;
        boolean[] taken = new boolean[n];
        for (long k = 0; k < left; k++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!taken[i] && (best < 0 || remainders[i].compareTo(remainders[best]) > 0)) {
                    best = i;
                }
            }
            taken[best] = true;
            parts[best]++;
        }
        return parts;
    }
}
