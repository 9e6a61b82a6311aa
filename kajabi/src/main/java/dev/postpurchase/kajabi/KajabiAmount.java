package dev.postpurchase.kajabi;

import dev.postpurchase.core.order.Formats;
import dev.postpurchase.core.order.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/**
 * One amount of a Kajabi payload as Kajabi sends it: the value in the currency's smallest unit ({@code subtotal})
 * and the same value "formatted with decimal places" ({@code subtotal_decimal}). Either or both may be missing.
 *
 * @param minorUnits the {@code <field>} value, in minor units (cents), when given as a whole number
 * @param decimal the {@code <field>_decimal} value, when given as a number or a numeric string
 */
public record KajabiAmount(@Nullable Long minorUnits, @Nullable BigDecimal decimal) {

    /** An amount that Kajabi did not send. */
    public static final KajabiAmount ABSENT = new KajabiAmount(null, null);

    /** Whether either form was sent. */
    public boolean isKnown() {
        return minorUnits != null || decimal != null;
    }

    /**
     * The amount in minor units of {@code currency}: {@link #minorUnits()} when sent, else {@link #decimal()} scaled
     * by the currency's fraction digits (half-up). Null when neither was sent, or only the decimal was sent and the
     * currency is unknown.
     */
    public @Nullable Long resolve(@Nullable String currency) {
        if (minorUnits != null) {
            return minorUnits;
        }
        if (decimal == null || currency == null || !Formats.isCurrency(currency)) {
            return null;
        }
        try {
            return decimal.movePointRight(Money.fractionDigits(currency))
                    .setScale(0, RoundingMode.HALF_UP)
                    .longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
