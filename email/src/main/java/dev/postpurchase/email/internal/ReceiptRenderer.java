package dev.postpurchase.email.internal;

import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.Transaction;
import java.text.NumberFormat;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Renders receipts: the built-in template or a merchant's, with the SDK's tables for details, items and totals. */
public final class ReceiptRenderer {
    private static final Template BUILTIN_HTML = Template.parse(Resources.read("receipt-body.html"), "html");
    private static final Template BUILTIN_TEXT = Template.parse(Resources.read("receipt-body.txt"), "text");
    private static final String TH = "padding:8px 0;border-bottom:1px solid " + EmailStyles.BORDER_COLOR + ";"
            + EmailStyles.FONT + "font-size:13px;line-height:18px;color:" + EmailStyles.MUTED_COLOR
            + ";font-weight:600;";
    private static final String TD = "padding:10px 0;border-bottom:1px solid " + EmailStyles.BORDER_COLOR + ";"
            + EmailStyles.FONT + "font-size:15px;line-height:22px;color:" + EmailStyles.TEXT_COLOR
            + ";vertical-align:top;";
    private static final String TABLE =
            "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\""
                    + " border=\"0\" style=\"width:100%;border-collapse:collapse;margin:0 0 24px 0;\">";

    /** Every placeholder a receipt template may use. */
    public static final Set<String> PLACEHOLDERS;

    static {
        Set<String> names = new HashSet<>(OrderValues.NAMES);
        names.addAll(Set.of("shop.name", "details", "items", "totals"));
        for (String key : Messages.forLanguage("en").keys("receipt.")) {
            names.add("t." + key.substring("receipt.".length()));
        }
        PLACEHOLDERS = Set.copyOf(names);
    }

    private ReceiptRenderer() {}

    /**
     * Renders the receipt of an order.
     *
     * @param shopName the seller, or null
     * @param subjectOverride the merchant's subject template, or null for the built-in one
     * @param htmlOverride the merchant's body template (sanitised here), or null
     * @param textOverride the merchant's text template, or null
     */
    public static Rendered render(
            Order order,
            @Nullable String shopName,
            ZoneId zone,
            @Nullable String subjectOverride,
            @Nullable String htmlOverride,
            @Nullable String textOverride) {
        Messages messages = Messages.forLanguage(order.language());
        Locale locale = Languages.locale(order.language());
        Map<String, TemplateValue> values = new HashMap<>(OrderValues.of(order, locale, zone));
        values.put("shop.name", TemplateValue.text(shopName == null ? "" : shopName));
        Function<String, TemplateValue> base = name -> values.getOrDefault(name, TemplateValue.EMPTY);
        for (String key : messages.keys("receipt.")) {
            values.put("t." + key.substring("receipt.".length()), messages.render(key, base));
        }
        MoneyFormat money = new MoneyFormat(locale, order.currency());
        values.put("details", details(order, shopName, values, locale, zone));
        values.put("items", items(order, values, money, locale));
        values.put("totals", totals(order, values, money));
        Function<String, TemplateValue> all = name -> values.getOrDefault(name, TemplateValue.EMPTY);

        String subject = subjectOverride == null
                ? message(values, "subject").text()
                : Template.parse(subjectOverride, "subject").renderText(all);
        Template htmlTemplate = BUILTIN_HTML;
        Template textTemplate = BUILTIN_TEXT;
        if (htmlOverride != null) {
            String sanitized = HtmlSanitizer.TEMPLATE.sanitize(htmlOverride);
            htmlTemplate = Template.parse(sanitized, "html");
            textTemplate = Template.parse(HtmlToText.convert(sanitized), "html");
        }
        if (textOverride != null) {
            textTemplate = Template.parse(textOverride, "text");
        }
        String body = htmlTemplate.renderHtml(all);
        String footer = message(values, "footer").html();
        String title = HeaderChecks.flatten(subject).strip();
        String html = EmailLayout.document(
                order.language(),
                title,
                message(values, "preheader").text(),
                List.of(EmailLayout.row(body, "padding:32px 32px 8px 32px;")),
                footer);
        String text = textTemplate.renderText(all).strip() + "\n\n-- \n"
                + message(values, "footer").text() + "\n";
        return new Rendered(title, html, text, messages.language());
    }

    private static TemplateValue details(
            Order order, @Nullable String shopName, Map<String, TemplateValue> values, Locale locale, ZoneId zone) {
        List<String[]> rows = new ArrayList<>();
        if (shopName != null && !shopName.isBlank()) {
            rows.add(new String[] {label(values, "seller"), shopName});
        }
        rows.add(new String[] {label(values, "orderId"), order.id()});
        Transaction t = order.transaction();
        rows.add(new String[] {label(values, "date"), OrderValues.formatDate(t, locale, zone)});
        rows.add(new String[] {label(values, "transactionId"), t.id()});
        if (t.method() != null && !t.method().isBlank()) {
            rows.add(new String[] {label(values, "paymentMethod"), t.method()});
        }
        if (t.coupon() != null && !t.coupon().isBlank()) {
            rows.add(new String[] {label(values, "coupon"), t.coupon()});
        }
        StringBuilder html = new StringBuilder(TABLE);
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            html.append("\n<tr><td style=\"padding:2px 16px 2px 0;")
                    .append(EmailStyles.SMALL)
                    .append("\">")
                    .append(Html.escape(row[0]))
                    .append("</td><td style=\"padding:2px 0;")
                    .append(EmailStyles.FONT)
                    .append("font-size:14px;line-height:20px;color:")
                    .append(EmailStyles.TEXT_COLOR)
                    .append(";\">")
                    .append(Html.escape(row[1]))
                    .append("</td></tr>");
            text.append(row[0]).append(": ").append(row[1]).append('\n');
        }
        html.append("\n</table>");
        return TemplateValue.html(html.toString(), text.toString().stripTrailing());
    }

    /**
     * The items table. A line whose amounts are unknown shows its title and quantity and no price; when no line has
     * known amounts the price columns are left out and only the order's totals say what was paid.
     */
    private static TemplateValue items(
            Order order, Map<String, TemplateValue> values, MoneyFormat money, Locale locale) {
        NumberFormat quantity = NumberFormat.getIntegerInstance(locale);
        boolean priced = order.items().stream().anyMatch(LineItem::amountsKnown);
        StringBuilder html = new StringBuilder(TABLE);
        html.append("\n<tr>").append(header(label(values, "product"), "left", ""));
        html.append(header(label(values, "quantity"), "right", "padding-left:12px;"));
        if (priced) {
            html.append(header(label(values, "unitPrice"), "right", "padding-left:12px;"));
            html.append(header(label(values, "lineTotal"), "right", "padding-left:12px;"));
        }
        html.append("</tr>");
        StringBuilder text = new StringBuilder();
        for (LineItem item : order.items()) {
            List<String> notes = notes(item, values, money);
            html.append("\n<tr><td style=\"").append(TD).append("\">").append(Html.escape(item.title()));
            if (!notes.isEmpty()) {
                html.append("<br><span style=\"")
                        .append(EmailStyles.SMALL)
                        .append("\">")
                        .append(Html.escape(String.join(" \u00b7 ", notes)))
                        .append("</span>");
            }
            html.append("</td>").append(cell(quantity.format(item.quantity())));
            Long unitPrice = item.unitPrice();
            Long lineTotal = item.total();
            // amountsKnown() implies both are set; the locals make that visible to the null checker
            String unitText = null;
            String totalText = null;
            if (item.amountsKnown() && unitPrice != null && lineTotal != null) {
                unitText = money.format(unitPrice);
                totalText = money.format(lineTotal);
            }
            if (priced) {
                html.append(cell(unitText != null ? unitText : ""));
                html.append(cell(totalText != null ? totalText : ""));
            }
            html.append("</tr>");
            text.append(item.title()).append('\n').append("  ");
            if (unitText != null && totalText != null) {
                text.append(quantity.format(item.quantity()))
                        .append(" \u00d7 ")
                        .append(unitText)
                        .append(" = ")
                        .append(totalText);
            } else {
                text.append(label(values, "quantity")).append(' ').append(quantity.format(item.quantity()));
            }
            text.append('\n');
            if (!notes.isEmpty()) {
                text.append("  ").append(String.join(", ", notes)).append('\n');
            }
        }
        html.append("\n</table>");
        return TemplateValue.html(html.toString(), text.toString().stripTrailing());
    }

    @SuppressWarnings("NullAway")
    private static List<String> notes(LineItem item, Map<String, TemplateValue> values, MoneyFormat money) {
        List<String> notes = new ArrayList<>();
        if (!item.amountsKnown()) {
            return notes;
        }
        if (item.discount() != 0) {
            notes.add(label(values, "discount") + " " + money.format(-item.discount()));
        }
        if (item.tax() != 0) {
            notes.add(label(values, "tax") + " " + money.format(item.tax()));
        }
        return notes;
    }

    private static String header(String label, String align, String extraStyle) {
        return "<th align=\"" + align + "\" style=\"" + TH + extraStyle + "\">" + Html.escape(label) + "</th>";
    }

    private static String cell(String value) {
        return "<td align=\"right\" style=\"" + TD + "padding-left:12px;white-space:nowrap;\">" + Html.escape(value)
                + "</td>";
    }

    private static TemplateValue totals(Order order, Map<String, TemplateValue> values, MoneyFormat money) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            label(values, "subtotal"), money.format(order.totals().subtotal())
        });
        if (order.totals().discount() != 0) {
            rows.add(new String[] {
                label(values, "discount"), money.format(-order.totals().discount())
            });
        }
        if (order.totals().tax() != 0) {
            rows.add(new String[] {
                label(values, "tax"), money.format(order.totals().tax())
            });
        }
        StringBuilder html = new StringBuilder(TABLE);
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            html.append("\n<tr><td style=\"padding:2px 0;")
                    .append(EmailStyles.FONT)
                    .append("font-size:15px;line-height:22px;color:")
                    .append(EmailStyles.MUTED_COLOR)
                    .append(";\">")
                    .append(Html.escape(row[0]))
                    .append("</td><td align=\"right\" style=\"padding:2px 0;white-space:nowrap;")
                    .append(EmailStyles.FONT)
                    .append("font-size:15px;line-height:22px;color:")
                    .append(EmailStyles.TEXT_COLOR)
                    .append(";\">")
                    .append(Html.escape(row[1]))
                    .append("</td></tr>");
            text.append(row[0]).append(": ").append(row[1]).append('\n');
        }
        String total = money.format(order.totals().total());
        String totalLabel = label(values, "total");
        html.append("\n<tr><td style=\"padding:10px 0 0 0;border-top:2px solid ")
                .append(EmailStyles.TEXT_COLOR)
                .append(";")
                .append(EmailStyles.FONT)
                .append("font-size:17px;line-height:24px;font-weight:700;color:")
                .append(EmailStyles.TEXT_COLOR)
                .append(";\">")
                .append(Html.escape(totalLabel))
                .append("</td><td align=\"right\" style=\"padding:10px 0 0 0;border-top:2px solid ")
                .append(EmailStyles.TEXT_COLOR)
                .append(";white-space:nowrap;")
                .append(EmailStyles.FONT)
                .append("font-size:17px;line-height:24px;font-weight:700;color:")
                .append(EmailStyles.TEXT_COLOR)
                .append(";\">")
                .append(Html.escape(total))
                .append("</td></tr>\n</table>");
        text.append(totalLabel).append(": ").append(total);
        return TemplateValue.html(html.toString(), text.toString());
    }

    private static String label(Map<String, TemplateValue> values, String key) {
        return message(values, key).text();
    }

    /** The rendered {@code receipt.<key>} message: every language bundle has all receipt keys. */
    private static TemplateValue message(Map<String, TemplateValue> values, String key) {
        return Objects.requireNonNull(values.get("t." + key), key);
    }
}
