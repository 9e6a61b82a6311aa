package dev.postpurchase.core.order;

import java.math.BigDecimal;
import java.util.Currency;

/** Converts minor units to decimals for display and payloads; arithmetic stays in {@code long} minor units. */
public final class Money {
    private Money() {}

    /** The number of minor-unit digits of a currency: 2 for EUR, 0 for JPY, 3 for KWD. */
    public static int fractionDigits(String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        return Math.max(digits, 0);
    }

    /** The exact decimal value of an amount, for example 1999 EUR -> 19.99, 500 JPY -> 500, 1500 KWD -> 1.500. */
    public static BigDecimal toDecimal(long minorUnits, String currency) {
        return BigDecimal.valueOf(minorUnits, fractionDigits(currency));
    }

    /** {@link #toDecimal} as a plain string with exactly the currency's digits, for example {@code "19.99"}. */
    public static String toDecimalString(long minorUnits, String currency) {
        return toDecimal(minorUnits, currency).toPlainString();
    }
}
