package dev.postpurchase.email;

import dev.postpurchase.core.Violation;
import dev.postpurchase.email.internal.HeaderChecks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One email ready to send: recipients, subject, a plain-text and an HTML body (always both: transports send them as
 * multipart/alternative), the Message-ID, optional extra headers and date. Immutable and validated when constructed;
 * construction throws {@link InvalidEmailException} naming every bad field at once:
 *
 * <ul>
 *   <li>{@code to}: at least one, at most 50 recipients, each a valid {@link Mailbox};
 *   <li>{@code subject}: not blank, at most 500 characters, no CR, LF or other control characters (nothing is
 *       silently folded or stripped: a subject that would need it is refused);
 *   <li>{@code text}, {@code html}: not blank;
 *   <li>{@code messageId}: {@code <local@domain>} of dot-atoms, see {@link MessageIds};
 *   <li>{@code headers}: names of letters, digits and hyphens that are not one of the headers the transport sets
 *       itself (From, To, Subject, Message-ID, Content-Type...), values of printable US-ASCII.
 * </ul>
 *
 * <p>{@code toString} shows the Message-ID and recipient count only, never the content.
 *
 * @param replyTo overrides the transport's default Reply-To when set
 * @param date the Date header; the transport's clock when null
 */
public record EmailMessage(
        List<Mailbox> to,
        @Nullable Mailbox replyTo,
        String subject,
        String text,
        String html,
        String messageId,
        Map<String, String> headers,
        @Nullable Instant date) {

    /** Headers a message may not set: the transport derives them from the other fields. */
    public static final Set<String> RESERVED_HEADERS = Set.of(
            "from",
            "sender",
            "to",
            "cc",
            "bcc",
            "reply-to",
            "subject",
            "message-id",
            "date",
            "mime-version",
            "content-type",
            "content-transfer-encoding",
            "return-path",
            "received");

    /** Most recipients one message may have. */
    public static final int MAX_RECIPIENTS = 50;

    public EmailMessage {
        if (to != null && to.stream().anyMatch(Objects::isNull)) {
            throw new InvalidEmailException("to", "must not contain null");
        }
        to = to == null ? List.of() : List.copyOf(to);
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        List<Violation> v = new ArrayList<>();
        checkRecipientCount(v, to.size());
        checkContent(v, subject, text, html, messageId, headers);
        if (!v.isEmpty()) {
            throw new InvalidEmailException(v);
        }
    }

    private static void checkRecipientCount(List<Violation> v, int count) {
        if (count == 0) {
            v.add(new Violation("to", "needs at least one recipient"));
        } else if (count > MAX_RECIPIENTS) {
            v.add(new Violation("to", "has more than " + MAX_RECIPIENTS + " recipients"));
        }
    }

    private static void checkContent(
            List<Violation> v,
            @Nullable String subject,
            @Nullable String text,
            @Nullable String html,
            @Nullable String messageId,
            Map<String, String> headers) {
        HeaderChecks.checkSubject(v, "subject", subject);
        if (text == null || text.isBlank()) {
            v.add(new Violation("text", "is required"));
        }
        if (html == null || html.isBlank()) {
            v.add(new Violation("html", "is required"));
        }
        if (!HeaderChecks.isMessageId(messageId)) {
            v.add(new Violation("messageId", "must look like <local@domain> with dot-atoms only"));
        }
        checkHeaders(v, headers);
    }

    private static void checkHeaders(List<Violation> v, Map<String, String> headers) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = Objects.requireNonNullElse(header.getKey(), "");
            String field = "headers[" + HeaderChecks.flatten(name) + "]";
            if (!HeaderChecks.isHeaderName(name)) {
                v.add(new Violation(field, "is not a valid header name"));
            } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                v.add(new Violation(field, "is set by the transport and cannot be overridden"));
            } else if (header.getValue() == null || !HeaderChecks.isHeaderValue(header.getValue())) {
                v.add(new Violation(field, "must be printable US-ASCII without CR or LF, at most 900 characters"));
            }
        }
    }

    /** Starts a message. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "EmailMessage[messageId=" + messageId + ", recipients=" + to.size() + "]";
    }

    /** Mutable, not thread-safe builder of {@link EmailMessage}; {@link #build()} validates everything at once. */
    public static final class Builder {
        private final List<String[]> to = new ArrayList<>();
        private @Nullable String replyToAddress;
        private @Nullable String replyToName;
        private @Nullable String subject;
        private @Nullable String text;
        private @Nullable String html;
        private @Nullable String messageId;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private @Nullable Instant date;

        private Builder() {}

        /** Adds a recipient without display name. */
        public Builder to(String address) {
            return to(address, null);
        }

        /** Adds a recipient with a display name (null or blank means none). */
        public Builder to(String address, @Nullable String name) {
            to.add(new String[] {address, name});
            return this;
        }

        public Builder to(Mailbox mailbox) {
            return to(mailbox.address(), mailbox.name());
        }

        public Builder replyTo(@Nullable String address, @Nullable String name) {
            this.replyToAddress = address;
            this.replyToName = name;
            return this;
        }

        public Builder subject(String value) {
            this.subject = value;
            return this;
        }

        /** The plain-text alternative. */
        public Builder text(String value) {
            this.text = value;
            return this;
        }

        /** The HTML alternative: a complete document, already escaped and sanitised by the caller. */
        public Builder html(String value) {
            this.html = value;
            return this;
        }

        /** The Message-ID, angle brackets included; see {@link MessageIds#forRun}. */
        public Builder messageId(String value) {
            this.messageId = value;
            return this;
        }

        /** Adds an extension header, for example {@code Auto-Submitted}. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder date(@Nullable Instant value) {
            this.date = value;
            return this;
        }

        /** Validates and builds; throws {@link InvalidEmailException} naming every bad field. */
        @SuppressWarnings("NullAway")
        public EmailMessage build() {
            List<Violation> v = new ArrayList<>();
            List<Mailbox> recipients = new ArrayList<>();
            for (int i = 0; i < to.size(); i++) {
                String[] r = to.get(i);
                List<Violation> rv = Mailbox.check("to[" + i + "].", r[0], r[1]);
                if (rv.isEmpty()) {
                    recipients.add(new Mailbox(r[0], r[1]));
                } else {
                    v.addAll(rv);
                }
            }
            Mailbox reply = null;
            if (replyToAddress != null) {
                List<Violation> rv = Mailbox.check("replyTo.", replyToAddress, replyToName);
                if (rv.isEmpty()) {
                    reply = new Mailbox(replyToAddress, replyToName);
                } else {
                    v.addAll(rv);
                }
            }
            checkRecipientCount(v, to.size());
            checkContent(v, subject, text, html, messageId, headers);
            if (!v.isEmpty()) {
                throw new InvalidEmailException(v);
            }
            return new EmailMessage(recipients, reply, subject, text, html, messageId, headers, date);
        }
    }
}
