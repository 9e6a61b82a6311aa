package dev.postpurchase.email;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.DeliveryException;
import dev.postpurchase.core.spi.FulfilledUnit;
import dev.postpurchase.core.spi.FulfillmentDelivery;
import dev.postpurchase.core.spi.FulfillmentMessage;
import dev.postpurchase.email.internal.ConfigChecks;
import dev.postpurchase.email.internal.EmailLayout;
import dev.postpurchase.email.internal.EmailSending;
import dev.postpurchase.email.internal.EmailStyles;
import dev.postpurchase.email.internal.Html;
import dev.postpurchase.email.internal.HtmlSanitizer;
import dev.postpurchase.email.internal.HtmlToText;
import dev.postpurchase.email.internal.Languages;
import dev.postpurchase.email.internal.MarkdownLiteral;
import dev.postpurchase.email.internal.Messages;
import dev.postpurchase.email.internal.OrderValues;
import dev.postpurchase.email.internal.Rendered;
import dev.postpurchase.email.internal.TemplateValue;
import dev.postpurchase.email.spi.EmailTransport;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Emails a fulfillment webhook's result to the customer: the merchant's instructions and every unit's response, in
 * the order's language (English, Finnish or Swedish; others fall back to English).
 *
 * <p><b>Responses</b> are shown as their sender expects from a Markdown-rendering shop: as literal text, where a
 * backslash before punctuation shows the punctuation ({@code \*} shows {@code *}) and backtick code spans or fenced
 * blocks are shown as code; nothing else is interpreted and everything is HTML-escaped. A response made of bare
 * tokens (licence keys, one per line) is shown in one monospace block, selectable in one click, so it can be copied
 * exactly; the plain-text part carries the same characters.
 *
 * <p><b>Instructions</b> arrive as the merchant wrote them and are sanitised here, by the same policy as a custom
 * email's rich text: its allow-list of tags, links only to absolute http(s) or mailto addresses.
 *
 * <p>The Message-ID is {@code <key.fulfillment@domain>} for every delivery of the same run. Failures are thrown as
 * {@link DeliveryException} (an {@link EmailDeliveryException} from the transport, retryable or not; a message that
 * cannot be built is not retryable). Thread-safe when its transport is.
 */
public final class FulfillmentEmailDelivery implements FulfillmentDelivery {
    private final EmailTransport transport;
    private final String messageIdDomain;
    private final ZoneId zone;
    private final Clock clock;

    private FulfillmentEmailDelivery(Builder b) {
        this.transport = Objects.requireNonNull(b.transport);
        this.messageIdDomain = java.util.Objects.requireNonNull(b.messageIdDomain);
        this.zone = b.zone;
        this.clock = b.clock;
    }

    /** A delivery through {@code transport} with the default settings. */
    public static FulfillmentEmailDelivery create(EmailTransport transport) {
        return builder().transport(transport).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void deliver(FulfillmentMessage message) {
        EmailMessage email;
        try {
            email = render(message);
        } catch (ValidationException e) {
            throw new DeliveryException("the fulfillment email cannot be built: " + e.getMessage(), false, e);
        }
        transport.send(email);
    }

    /**
     * The email exactly as {@link #deliver} would send it, without sending: for previews and tests.
     *
     * @throws ValidationException when the resulting message is invalid
     */
    public EmailMessage render(FulfillmentMessage message) {
        Order order = message.order();
        Messages messages = Messages.forLanguage(order.language());
        Map<String, TemplateValue> values =
                new HashMap<>(OrderValues.of(order, Languages.locale(order.language()), zone));
        Function<String, TemplateValue> lookup = name -> values.getOrDefault(name, TemplateValue.EMPTY);
        TemplateValue subject = messages.render("fulfillment.subject", lookup);
        TemplateValue heading = messages.render("fulfillment.heading", lookup);
        TemplateValue greeting = messages.render("fulfillment.greeting", lookup);
        TemplateValue intro = messages.render("fulfillment.intro", lookup);
        TemplateValue footer = messages.render("fulfillment.footer", lookup);

        List<String> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        rows.add(EmailLayout.row(
                "<h1 style=\"" + EmailStyles.TAGS.get("h1") + "\">" + heading.html() + "</h1>\n"
                        + "<p style=\"margin:0 0 8px 0;\">" + greeting.html() + "</p>\n"
                        + "<p style=\"margin:0;\">" + intro.html() + "</p>",
                "padding:32px 32px 8px 32px;"));
        text.append(heading.text())
                .append("\n\n")
                .append(greeting.text())
                .append('\n')
                .append(intro.text())
                .append("\n\n");

        String instructions = HtmlSanitizer.RICH_TEXT.sanitize(message.instructionsHtml());
        if (!instructions.isBlank()) {
            String label = messages.render("fulfillment.instructions", lookup).html();
            rows.add(EmailLayout.row(
                    "<h2 style=\"" + EmailStyles.TAGS.get("h3") + "\">" + label + "</h2>\n" + instructions));
            text.append(messages.render("fulfillment.instructions", lookup).text())
                    .append("\n\n")
                    .append(HtmlToText.convert(instructions))
                    .append("\n\n");
        }

        for (FulfilledUnit unit : message.units()) {
            String label = unitLabel(unit, message.units(), messages, lookup);
            MarkdownLiteral response = MarkdownLiteral.parse(unit.body());
            StringBuilder html = new StringBuilder();
            html.append("<h2 style=\"")
                    .append(EmailStyles.TAGS.get("h3"))
                    .append("\">")
                    .append(Html.escape(label))
                    .append("</h2>\n")
                    .append(response.toHtml());
            text.append(label).append("\n\n");
            if (response.isKeyLike()) {
                String hint = messages.render("fulfillment.copyHint", lookup).text();
                html.append("\n<p style=\"")
                        .append(EmailStyles.SMALL)
                        .append("margin:0;\">")
                        .append(Html.escape(hint))
                        .append("</p>");
                text.append(response.keys()).append("\n\n");
            } else {
                text.append(response.literal()).append("\n\n");
            }
            rows.add(EmailLayout.row(html.toString()));
        }
        text.append("-- \n").append(footer.text()).append('\n');

        String title = subject.text();
        Rendered rendered = new Rendered(
                title,
                EmailLayout.document(
                        order.language(),
                        title,
                        messages.render("fulfillment.preheader", lookup).text(),
                        rows,
                        footer.html()),
                text.toString(),
                messages.language());
        String messageId = MessageIds.forRun(message.idempotencyKey(), "fulfillment", messageIdDomain);
        return EmailSending.message(order, rendered, messageId, clock.instant());
    }

    /** The product title, with the unit number when the product has several units or the quantity when one covers many. */
    private static String unitLabel(
            FulfilledUnit unit, List<FulfilledUnit> all, Messages messages, Function<String, TemplateValue> lookup) {
        long sameProduct =
                all.stream().filter(u -> u.productId().equals(unit.productId())).count();
        if (sameProduct > 1) {
            Map<String, TemplateValue> withUnit = new HashMap<>();
            withUnit.put("unit.index", TemplateValue.text(Integer.toString(unit.unitIndex())));
            String item = messages.render("fulfillment.unit", name -> withUnit.getOrDefault(name, lookup.apply(name)))
                    .text();
            return unit.title() + " \u2013 " + item;
        }
        return unit.quantity() > 1 ? unit.title() + " \u00d7 " + unit.quantity() : unit.title();
    }

    @Override
    public String toString() {
        return "FulfillmentEmailDelivery[" + transport + "]";
    }

    /** Mutable, not thread-safe builder of {@link FulfillmentEmailDelivery}. */
    public static final class Builder {
        private @Nullable EmailTransport transport;
        private @Nullable String messageIdDomain;
        private ZoneId zone = ZoneOffset.UTC;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Required: where messages go. */
        public Builder transport(EmailTransport value) {
            this.transport = value;
            return this;
        }

        /**
         * The domain of Message-IDs, for example the shop's; default the transport's {@link
         * EmailTransport#messageIdDomain()} (set it once there, for example {@code SmtpMailer.Builder.messageIdDomain}),
         * else {@link MessageIds#DEFAULT_DOMAIN}.
         */
        public Builder messageIdDomain(String value) {
            this.messageIdDomain = value;
            return this;
        }

        /** The zone of {@code {{order.date}}}; default UTC. */
        public Builder zone(ZoneId value) {
            this.zone = value;
            return this;
        }

        /** The clock of the Date header; default UTC system clock. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Validates and builds; throws {@link ValidationException} naming every bad setting. */
        public FulfillmentEmailDelivery build() {
            messageIdDomain = MessageIds.domainFor(messageIdDomain, transport);
            ConfigChecks.senderSettings(transport, messageIdDomain, "zone", zone, false, null);
            if (clock == null) {
                throw new ValidationException("clock", "is required");
            }
            return new FulfillmentEmailDelivery(this);
        }
    }
}
