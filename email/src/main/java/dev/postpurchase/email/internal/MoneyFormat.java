package dev.postpurchase.email.internal;

import dev.postpurchase.core.order.Money;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/**
 * Formats minor units of a currency for a locale with the JDK's CLDR data: the currency's own number of digits
 * (JPY none, EUR two, KWD three), the locale's symbol position, separators and minus sign ({@code 19,99 €} in
 * Finnish, {@code €19.99} in English). Exact: the amount is never rounded. Not thread-safe: one instance per
 * rendering.
 */
public final class MoneyFormat {
    private final String currency;
    private final NumberFormat format;

    public MoneyFormat(Locale locale, String currency) {
        this.currency = currency;
        this.format = NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(Currency.getInstance(currency));
        int digits = Money.fractionDigits(currency);
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        format.setRoundingMode(RoundingMode.UNNECESSARY);
    }

    /** The formatted amount. */
    public String format(long minorUnits) {
        return format.format(Money.toDecimal(minorUnits, currency));
    }
}
