package dev.postpurchase.email.internal;

import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.Transaction;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The placeholder values every email can use, taken from the order: customer, order and transaction fields. All
 * are plain text on one line (control characters such as CR and LF become spaces, so customer data cannot fake
 * lines in the text part or headers), escaped when rendered into HTML. Missing optional fields render as empty
 * text; {@code customer.name} is the first and last name, empty when the customer gave neither (never the email
 * address, so a greeting {@code Hi {{customer.name}},} becomes {@code Hi,}).
 */
public final class OrderValues {
    /** The names every email template may use. */
    public static final Set<String> NAMES = Set.of(
            "customer.firstName",
            "customer.lastName",
            "customer.name",
            "customer.email",
            "customer.phone",
            "customer.businessId",
            "order.id",
            "order.date",
            "order.currency",
            "order.subtotal",
            "order.discount",
            "order.tax",
            "order.total",
            "checkout.id",
            "transaction.id",
            "transaction.method",
            "transaction.processor",
            "transaction.coupon");

    /** Custom fields of the checkout: {@code customer.field.<key>}. */
    public static final String CUSTOM_FIELD_PREFIX = "customer.field.";

    private static final Pattern FIELD_KEY = Pattern.compile("^[A-Za-z0-9_-]+$");

    private OrderValues() {}

    /** The values of an order, money and dates formatted for {@code locale}, dates in {@code zone}. */
    public static Map<String, TemplateValue> of(Order order, Locale locale, ZoneId zone) {
        Map<String, TemplateValue> v = new HashMap<>();
        Customer c = order.customer();
        put(v, "customer.firstName", c.firstName());
        put(v, "customer.lastName", c.lastName());
        put(v, "customer.name", fullName(c));
        put(v, "customer.email", c.email());
        put(v, "customer.phone", c.phone());
        put(v, "customer.businessId", c.businessId());
        c.customFields().forEach((key, value) -> {
            if (FIELD_KEY.matcher(key).matches()) {
                put(v, CUSTOM_FIELD_PREFIX + key, value);
            }
        });
        MoneyFormat money = new MoneyFormat(locale, order.currency());
        put(v, "order.id", order.id());
        put(v, "order.currency", order.currency());
        put(v, "order.subtotal", money.format(order.totals().subtotal()));
        put(v, "order.discount", money.format(order.totals().discount()));
        put(v, "order.tax", money.format(order.totals().tax()));
        put(v, "order.total", money.format(order.totals().total()));
        put(v, "checkout.id", order.checkoutId());
        Transaction t = order.transaction();
        put(v, "order.date", formatDate(t, locale, zone));
        put(v, "transaction.id", t.id());
        put(v, "transaction.method", t.method());
        put(v, "transaction.processor", t.processor());
        put(v, "transaction.coupon", t.coupon());
        return v;
    }

    private static String fullName(Customer c) {
        String first = c.firstName() == null ? "" : c.firstName().strip();
        String last = c.lastName() == null ? "" : c.lastName().strip();
        return (first + " " + last).strip();
    }

    /** The payment date as a long localized date, for example {@code 5. maaliskuuta 2026}. */
    public static String formatDate(Transaction t, Locale locale, ZoneId zone) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
                .withLocale(locale)
                .format(t.paidAt().atZone(zone));
    }

    private static void put(Map<String, TemplateValue> v, String name, @Nullable String value) {
        v.put(name, TemplateValue.text(value == null ? "" : HeaderChecks.flatten(value)));
    }
}
