package dev.postpurchase.email;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.order.Formats;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.email.internal.BlockRenderer;
import dev.postpurchase.email.internal.ConfigChecks;
import dev.postpurchase.email.internal.EmailLayout;
import dev.postpurchase.email.internal.EmailSending;
import dev.postpurchase.email.internal.HeaderChecks;
import dev.postpurchase.email.internal.HtmlSanitizer;
import dev.postpurchase.email.internal.Languages;
import dev.postpurchase.email.internal.Messages;
import dev.postpurchase.email.internal.OrderValues;
import dev.postpurchase.email.internal.Rendered;
import dev.postpurchase.email.internal.Template;
import dev.postpurchase.email.internal.TemplateValue;
import dev.postpurchase.email.internal.Urls;
import dev.postpurchase.email.spi.EmailTransport;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Sends a merchant-designed email to the customer (type {@value #TYPE}, any level): a subject and image, rich-text
 * and banner blocks per language.
 *
 * <p><b>Language:</b> the content of the order's language is used (exact tag, then its primary language); if it has
 * none, the checkout's first supported language ({@code order.checkoutLanguages().get(0)}); if that has none
 * either, nothing is sent and the run is SUCCEEDED with the skip and its reason recorded ({@link
 * ExecutionOutcome#skipped}), so a missing translation is visible on the run instead of silent.
 *
 * <p><b>Safety:</b> merchant rich text is sanitised to a fixed allow-list of tags; every placeholder value (customer
 * and order data) is HTML-escaped, and flattened to one line in the subject and recipient name; URLs must be https
 * (links may also be mailto).
 *
 * <p>The Message-ID is {@code <key.custom@domain>} for every attempt of a run. Not {@link #idempotent()} (SMTP
 * cannot deduplicate). Thread-safe when its transport is.
 */
public final class EmailCustomExecutor implements ActionExecutor<CustomEmailConfig> {
    /** The action type. */
    public static final String TYPE = "custom-email";

    /** The placeholders subjects and blocks may use, plus {@code customer.field.<key>} for custom fields. */
    public static final Set<String> PLACEHOLDERS = OrderValues.NAMES;

    /** Most blocks one language may have. */
    public static final int MAX_BLOCKS = 50;

    private static final Set<String> PREFIXES = Set.of(OrderValues.CUSTOM_FIELD_PREFIX);

    private final EmailTransport transport;
    private final String messageIdDomain;
    private final ZoneId defaultZone;
    private final RetryPolicy retryPolicy;

    private EmailCustomExecutor(Builder b) {
        this.transport = Objects.requireNonNull(b.transport);
        this.messageIdDomain = java.util.Objects.requireNonNull(b.messageIdDomain);
        this.defaultZone = b.defaultZone;
        this.retryPolicy = b.retryPolicy;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<CustomEmailConfig> configType() {
        return CustomEmailConfig.class;
    }

    /**
     * Checks every language: a BCP 47 key; either no content at all or a one-line subject and 1 to 50 blocks; known
     * placeholders only; images with an https URL, an optional https or mailto link and a width of 1 to 600; rich
     * text not blank; banners with a title, a label for their link and {@code #rgb}/{@code #rrggbb} colours. Fields
     * are named like {@code content.fi.blocks[2].url}. Every language of {@link CustomEmailConfig#checkoutLanguages()}
     * must have content: each one without is named {@code content.<language>}.
     */
    @Override
    public void validate(CustomEmailConfig config) {
        List<Violation> v = new ArrayList<>();
        ConfigChecks.timeZone(v, "timeZone", config.timeZone());
        for (int i = 0; i < config.checkoutLanguages().size(); i++) {
            String language = config.checkoutLanguages().get(i);
            if (!Formats.isLanguageTag(language)) {
                v.add(new Violation("checkoutLanguages[" + i + "]", "must be a BCP 47 language tag"));
            }
        }
        for (String missing : config.languagesWithoutContent()) {
            if (Formats.isLanguageTag(missing)) {
                v.add(new Violation(
                        "content." + missing,
                        "the checkout supports '" + missing + "' but this email has no subject and content for it;"
                                + " fill every language of the checkout (a customer of a missing language gets the"
                                + " first language's email, or none)"));
            }
        }
        for (Map.Entry<String, LocalizedEmail> entry : config.content().entrySet()) {
            String field = "content." + entry.getKey();
            ConfigChecks.languageKey(v, field, entry.getKey(), null);
            LocalizedEmail email = entry.getValue();
            if (email == null) {
                v.add(new Violation(field, "is required"));
                continue;
            }
            boolean hasSubject = email.subject() != null && !email.subject().isBlank();
            if (!hasSubject && email.blocks().isEmpty()) {
                continue;
            }
            if (!hasSubject) {
                v.add(new Violation(field + ".subject", "is required when there are blocks"));
            } else {
                ConfigChecks.subject(v, field + ".subject", email.subject(), PLACEHOLDERS);
            }
            if (email.blocks().isEmpty()) {
                v.add(new Violation(field + ".blocks", "needs at least one block when there is a subject"));
            } else if (email.blocks().size() > MAX_BLOCKS) {
                v.add(new Violation(field + ".blocks", "has more than " + MAX_BLOCKS + " blocks"));
            }
            for (int i = 0; i < email.blocks().size(); i++) {
                checkBlock(v, field + ".blocks[" + i + "]", email.blocks().get(i));
            }
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    private static void checkBlock(List<Violation> v, String field, @Nullable EmailBlock block) {
        if (block instanceof EmailBlock.Image image) {
            if (Urls.safeImage(image.url()) == null) {
                v.add(new Violation(field + ".url", "must be an absolute https URL"));
            }
            checkLink(v, field + ".link", image.link());
            ConfigChecks.line(v, field + ".alt", image.alt(), 300);
            ConfigChecks.template(v, field + ".alt", image.alt(), PLACEHOLDERS, PREFIXES);
            if (image.width() != null && (image.width() < 1 || image.width() > 600)) {
                v.add(new Violation(field + ".width", "must be between 1 and 600 pixels"));
            }
        } else if (block instanceof EmailBlock.RichText rich) {
            if (rich.html() == null || rich.html().isBlank()) {
                v.add(new Violation(field + ".html", "is required"));
            } else if (rich.html().length() > 100_000) {
                v.add(new Violation(field + ".html", "must be at most 100000 characters"));
            } else {
                ConfigChecks.template(
                        v, field + ".html", HtmlSanitizer.RICH_TEXT.sanitize(rich.html()), PLACEHOLDERS, PREFIXES);
            }
        } else if (block instanceof EmailBlock.Banner banner) {
            if (banner.title() == null || banner.title().isBlank()) {
                v.add(new Violation(field + ".title", "is required"));
            } else {
                ConfigChecks.line(v, field + ".title", banner.title(), 200);
                ConfigChecks.template(v, field + ".title", banner.title(), PLACEHOLDERS, PREFIXES);
            }
            if (banner.text() != null && banner.text().length() > 2000) {
                v.add(new Violation(field + ".text", "must be at most 2000 characters"));
            }
            ConfigChecks.template(v, field + ".text", banner.text(), PLACEHOLDERS, PREFIXES);
            checkLink(v, field + ".link", banner.link());
            if (banner.link() != null
                    && (banner.linkText() == null || banner.linkText().isBlank())) {
                v.add(new Violation(field + ".linkText", "is required with a link"));
            }
            ConfigChecks.line(v, field + ".linkText", banner.linkText(), 100);
            ConfigChecks.template(v, field + ".linkText", banner.linkText(), PLACEHOLDERS, PREFIXES);
            checkColor(v, field + ".backgroundColor", banner.backgroundColor());
            checkColor(v, field + ".textColor", banner.textColor());
        } else {
            v.add(new Violation(field, "is required"));
        }
    }

    private static void checkLink(List<Violation> v, String field, @Nullable String link) {
        if (link != null && Urls.safeLink(link, false, true) == null) {
            v.add(new Violation(field, "must be an absolute https URL or a mailto: address"));
        }
    }

    private static void checkColor(List<Violation> v, String field, @Nullable String color) {
        if (color != null && !BlockRenderer.isColor(color)) {
            v.add(new Violation(field, "must be a colour like #1e3a8a"));
        }
    }

    @Override
    public boolean needsOrder() {
        return true;
    }

    /**
     * Sends the email in the language chosen as the class documentation says, or skips it. The run's result names
     * the Message-ID and the language used (and the fallback, if one was needed).
     */
    @Override
    public ExecutionOutcome execute(ExecutionContext<CustomEmailConfig> context) {
        Order order = context.requireOrder();
        Choice choice = choose(context.config(), order);
        if (choice.key == null) {
            return ExecutionOutcome.skipped(choice.note);
        }
        EmailMessage message = render(order, context.config(), context.idempotencyKey(), context.now());
        String result = "custom email sent as {messageId} in " + choice.key
                + (choice.note.isEmpty() ? "" : " (" + choice.note + ")");
        return EmailSending.send(transport, message, result);
    }

    /**
     * The language whose content an order gets: the order's own, else the checkout's first, else null (skip).
     */
    public static @Nullable String contentLanguage(CustomEmailConfig config, Order order) {
        return choose(config, order).key;
    }

    /**
     * The email as {@link #execute} would send it, without sending: for previews and tests.
     *
     * @throws ValidationException when no language has content or the message is invalid
     */
    public EmailMessage render(Order order, CustomEmailConfig config, String idempotencyKey, Instant date) {
        Choice choice = choose(config, order);
        if (choice.key == null) {
            throw new ValidationException("content", choice.note);
        }
        LocalizedEmail email = config.content().get(choice.key);
        ZoneId zone = config.timeZone() == null ? defaultZone : ZoneId.of(config.timeZone());
        Rendered rendered = renderContent(order, choice.key, Objects.requireNonNull(email), zone);
        String messageId = MessageIds.forRun(idempotencyKey, "custom", messageIdDomain);
        return EmailSending.message(order, rendered, messageId, date);
    }

    private static Rendered renderContent(Order order, String language, LocalizedEmail email, ZoneId zone) {
        Map<String, TemplateValue> values = OrderValues.of(order, Languages.locale(order.language()), zone);
        Function<String, TemplateValue> lookup = name -> values.getOrDefault(name, TemplateValue.EMPTY);
        String subject = HeaderChecks.flatten(Template.parse(Objects.requireNonNull(email.subject()), "subject")
                        .renderText(lookup))
                .strip();
        List<String> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (EmailBlock block : email.blocks()) {
            BlockRenderer.Block rendered = BlockRenderer.render(block, lookup);
            if (!rendered.row().isEmpty()) {
                rows.add(rendered.row());
            }
            if (!rendered.text().isBlank()) {
                text.append(rendered.text().strip()).append("\n\n");
            }
        }
        Messages messages = Messages.forLanguage(language);
        TemplateValue footer = messages.render("custom.footer", lookup);
        text.append("-- \n").append(footer.text()).append('\n');
        String html = EmailLayout.document(language, subject, "", rows, footer.html());
        return new Rendered(subject, html, text.toString(), language);
    }

    private static Choice choose(CustomEmailConfig config, Order order) {
        Map<String, LocalizedEmail> withContent = new java.util.TreeMap<>();
        config.content().forEach((key, email) -> {
            if (email != null && email.hasContent()) {
                withContent.put(key, email);
            }
        });
        String own = Languages.find(withContent, order.language());
        if (own != null) {
            return new Choice(own, "");
        }
        String first = order.checkoutLanguages().isEmpty()
                ? null
                : order.checkoutLanguages().get(0);
        if (first == null) {
            return new Choice(
                    null,
                    "no content for the order's language '" + order.language()
                            + "' and the checkout has no supported languages; email not sent");
        }
        String fallback = Languages.find(withContent, first);
        if (fallback != null) {
            return new Choice(
                    fallback,
                    "no content for the order's language '" + order.language()
                            + "', used the checkout's first language");
        }
        return new Choice(
                null,
                "no content for the order's language '" + order.language() + "' nor the checkout's first language '"
                        + first + "'; email not sent");
    }

    private record Choice(@Nullable String key, String note) {}

    /** False: an SMTP send cannot be deduplicated by the server. */
    @Override
    public boolean idempotent() {
        return false;
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return retryPolicy;
    }

    @Override
    public String toString() {
        return "EmailCustomExecutor[" + transport + "]";
    }

    /** Mutable, not thread-safe builder of {@link EmailCustomExecutor}. */
    public static final class Builder {
        private @Nullable EmailTransport transport;
        private @Nullable String messageIdDomain;
        private ZoneId defaultZone = ZoneOffset.UTC;
        private RetryPolicy retryPolicy = EmailReceiptExecutor.defaultPolicy();

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

        /** The zone of {@code {{order.date}}} when the config sets none; default UTC. */
        public Builder defaultZone(ZoneId value) {
            this.defaultZone = value;
            return this;
        }

        /** The policy for definitions without their own; default exponential from 1 min to 1 h, 8 retries. */
        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = value;
            return this;
        }

        /** Validates and builds; throws {@link ValidationException} naming every bad setting. */
        public EmailCustomExecutor build() {
            messageIdDomain = MessageIds.domainFor(messageIdDomain, transport);
            ConfigChecks.senderSettings(transport, messageIdDomain, "defaultZone", defaultZone, true, retryPolicy);
            return new EmailCustomExecutor(this);
        }
    }
}
