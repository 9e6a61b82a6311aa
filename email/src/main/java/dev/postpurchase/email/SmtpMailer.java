package dev.postpurchase.email;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.Violations;
import dev.postpurchase.email.internal.FixedIdMimeMessage;
import dev.postpurchase.email.internal.HeaderChecks;
import dev.postpurchase.email.internal.NoDelaySockets;
import dev.postpurchase.email.internal.SmtpFailures;
import dev.postpurchase.email.spi.EmailTransport;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link EmailMessage}s over SMTP with Jakarta Mail (Angus Mail at runtime).
 *
 * <pre>{@code
 * SmtpMailer mailer = SmtpMailer.builder()
 *         .host("smtp.example.com")
 *         .security(SmtpSecurity.STARTTLS)          // port 587 unless set
 *         .credentials("shop@example.com", Secret.of(password))
 *         .from("shop@example.com", "Example Shop")
 *         .build();
 * }</pre>
 *
 * <p><b>Messages:</b> every message is multipart/alternative (text/plain then text/html, both UTF-8) with the
 * message's own Message-ID (Jakarta Mail's random one is never used), From and envelope sender from the builder,
 * Reply-To from the message or the builder, and the Date of the message or of the clock.
 *
 * <p><b>Connection:</b> one SMTP connection is opened on the first send and reused for the following ones; before
 * each reuse it is checked with {@code NOOP}, and when the server has dropped it a new one is opened. After a failed
 * send the connection is closed so the next send starts clean. {@link #close()} closes it.
 *
 * <p><b>Thread-safety:</b> thread-safe. Sends are serialised over the one connection (SMTP carries one transaction at
 * a time); build several mailers for parallel connections.
 *
 * <p><b>Failures:</b> {@link EmailDeliveryException}: refused, dropped or timed-out connections and 4xx replies are
 * retryable; 5xx replies (an unknown recipient, a refused sender) and failed authentication are permanent, with the
 * server's reply recorded. The password never appears in logs, exceptions or {@code toString}.
 */
public final class SmtpMailer implements EmailTransport {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpMailer.class);
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private final String host;
    private final int port;
    private final SmtpSecurity security;
    private final @Nullable String username;
    private final @Nullable Secret password;
    private final Mailbox from;
    private final @Nullable Mailbox replyTo;
    private final Clock clock;
    private final @Nullable String messageIdDomain;
    private final Session session;
    private final String server;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong connectionsOpened = new AtomicLong();
    private final AtomicLong messagesSent = new AtomicLong();
    private @Nullable Transport transport;

    private SmtpMailer(Builder b, String host, Mailbox from, @Nullable Mailbox replyTo) {
        this.host = host;
        this.port = b.port > 0 ? b.port : b.security.defaultPort();
        this.security = b.security;
        this.username = b.username;
        this.password = b.password;
        this.from = from;
        this.replyTo = replyTo;
        this.clock = b.clock;
        this.messageIdDomain = b.messageIdDomain;
        this.server = host + ":" + port;
        this.session = Session.getInstance(properties(b));
    }

    private Properties properties(Builder b) {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.connectiontimeout", Long.toString(b.connectTimeout.toMillis()));
        p.put("mail.smtp.timeout", Long.toString(b.readTimeout.toMillis()));
        p.put("mail.smtp.writetimeout", Long.toString(b.writeTimeout.toMillis()));
        p.put("mail.smtp.from", from.address());
        p.put("mail.smtp.auth", Boolean.toString(username != null));
        p.put("mail.mime.charset", "UTF-8");
        // never retry a failed TLS socket with another factory: the error must be the real one
        p.put("mail.smtp.socketFactory.fallback", "false");
        if (b.localHostName != null) {
            p.put("mail.smtp.localhost", b.localHostName);
        }
        switch (security) {
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case SSL -> {
                p.put("mail.smtp.ssl.enable", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case NONE -> p.put("mail.smtp.ssl.enable", "false");
        }
        SSLSocketFactory tls =
                b.sslSocketFactory != null ? b.sslSocketFactory : (SSLSocketFactory) SSLSocketFactory.getDefault();
        p.put("mail.smtp.socketFactory", NoDelaySockets.plain());
        p.put("mail.smtp.ssl.socketFactory", NoDelaySockets.tls(tls));
        return p;
    }

    /** Starts a mailer configuration. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SentEmail send(EmailMessage message) {
        MimeMessage mime = toMime(message);
        List<String> recipients = message.to().stream().map(Mailbox::address).toList();
        lock.lock();
        try {
            Transport connected = connected();
            try {
                connected.sendMessage(mime, mime.getAllRecipients());
            } catch (MessagingException | RuntimeException e) {
                closeQuietly();
                throw e;
            }
            messagesSent.incrementAndGet();
            LOG.debug("sent {} through {}", message.messageId(), server);
            return new SentEmail(message.messageId(), recipients);
        } catch (MessagingException | RuntimeException e) {
            EmailDeliveryException failure = SmtpFailures.classify(e, server);
            LOG.warn(
                    "sending {} through {} failed ({}): {}",
                    message.messageId(),
                    server,
                    failure.retryable() ? "retryable" : "permanent",
                    failure.getMessage());
            throw failure;
        } finally {
            lock.unlock();
        }
    }

    private Transport connected() throws MessagingException {
        Transport current = transport;
        if (current != null && current.isConnected()) {
            return current;
        }
        closeQuietly();
        Transport fresh = session.getTransport("smtp");
        try {
            if (username != null && password != null) {
                fresh.connect(host, port, username, password.reveal());
            } else {
                fresh.connect(host, port, null, null);
            }
        } catch (MessagingException | RuntimeException e) {
            try {
                fresh.close();
            } catch (MessagingException ignored) {
                // the connection never opened
            }
            throw e;
        }
        connectionsOpened.incrementAndGet();
        LOG.debug("connected to {} ({})", server, security);
        transport = fresh;
        return fresh;
    }

    private void closeQuietly() {
        Transport current = transport;
        transport = null;
        if (current != null) {
            try {
                current.close();
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("closing the connection to {} failed: {}", server, e.toString());
            }
        }
    }

    private MimeMessage toMime(EmailMessage message) {
        try {
            MimeMessage mime = new FixedIdMimeMessage(session, message.messageId());
            mime.setFrom(internet(from));
            List<Address> to = new ArrayList<>();
            for (Mailbox mailbox : message.to()) {
                to.add(internet(mailbox));
            }
            mime.setRecipients(Message.RecipientType.TO, to.toArray(new Address[0]));
            Mailbox reply = message.replyTo() != null ? message.replyTo() : replyTo;
            if (reply != null) {
                mime.setReplyTo(new Address[] {internet(reply)});
            }
            mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());
            mime.setSentDate(Date.from(message.date() != null ? message.date() : clock.instant()));
            for (Map.Entry<String, String> header : message.headers().entrySet()) {
                mime.setHeader(header.getKey(), header.getValue());
            }
            MimeBodyPart text = new MimeBodyPart();
            text.setText(message.text(), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(message.html(), StandardCharsets.UTF_8.name(), "html");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            mime.setContent(alternative);
            mime.saveChanges();
            return mime;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new InvalidEmailException("message", "cannot be encoded as MIME: " + e.getMessage());
        }
    }

    private static InternetAddress internet(Mailbox mailbox) throws UnsupportedEncodingException {
        InternetAddress address = new InternetAddress(mailbox.address(), mailbox.name(), "UTF-8");
        try {
            address.validate();
        } catch (jakarta.mail.internet.AddressException e) {
            throw new InvalidEmailException("address", "is not a valid email address");
        }
        return address;
    }

    /** SMTP connections opened so far (a reused connection counts once). */
    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    /** Messages the server accepted so far. */
    public long messagesSent() {
        return messagesSent.get();
    }

    /** The sender every message goes out with. */
    public Mailbox from() {
        return from;
    }

    /** The domain set with {@link Builder#messageIdDomain}, used by every executor sending through this mailer. */
    @Override
    public @Nullable String messageIdDomain() {
        return messageIdDomain;
    }

    /**
     * Closes the open connection, if any (sending {@code QUIT}). A later send opens a new one. The mailer has no
     * thread of its own; close it after {@code ActionPipeline.close()}, which does not close transports, so the
     * connection does not linger until the server drops it.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closeQuietly();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SmtpMailer[" + server + ", " + security + (username != null ? ", user=" + username : "") + ", from="
                + from.address() + "]";
    }

    /** Mutable, not thread-safe builder of {@link SmtpMailer}. */
    public static final class Builder {
        private @Nullable String host;
        private int port;
        private SmtpSecurity security = SmtpSecurity.STARTTLS;
        private @Nullable String username;
        private @Nullable Secret password;
        private @Nullable String fromAddress;
        private @Nullable String fromName;
        private @Nullable String replyToAddress;
        private @Nullable String replyToName;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private @Nullable String localHostName;
        private @Nullable SSLSocketFactory sslSocketFactory;
        private @Nullable String messageIdDomain;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Required: the SMTP server's host name or address. */
        public Builder host(String value) {
            this.host = value;
            return this;
        }

        /** The port; default {@link SmtpSecurity#defaultPort()} of the security mode. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Default {@link SmtpSecurity#STARTTLS}. */
        public Builder security(SmtpSecurity value) {
            this.security = value;
            return this;
        }

        /** Authenticates with these credentials; without them no authentication is attempted. */
        public Builder credentials(String user, Secret secret) {
            this.username = user;
            this.password = secret;
            return this;
        }

        /** Required: the sender address (also the envelope sender) and display name (null for none). */
        public Builder from(String address, @Nullable String name) {
            this.fromAddress = address;
            this.fromName = name;
            return this;
        }

        /** The Reply-To used when a message sets none. */
        public Builder replyTo(String address, @Nullable String name) {
            this.replyToAddress = address;
            this.replyToName = name;
            return this;
        }

        /** How long to wait for the TCP connection; default 10 s. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        /** How long to wait for each server reply; default 30 s. */
        public Builder readTimeout(Duration value) {
            this.readTimeout = value;
            return this;
        }

        /** How long one write may block; default 30 s. */
        public Builder writeTimeout(Duration value) {
            this.writeTimeout = value;
            return this;
        }

        /**
         * The domain of the Message-IDs of everything sent through this mailer (receipts, custom emails, fulfillment
         * emails), for example the shop's; set once here rather than on each executor. Default none: {@link
         * MessageIds#DEFAULT_DOMAIN}.
         */
        public Builder messageIdDomain(String value) {
            this.messageIdDomain = value;
            return this;
        }

        /** The name announced in {@code EHLO}; default the local host name as Jakarta Mail finds it. */
        public Builder localHostName(String value) {
            this.localHostName = value;
            return this;
        }

        /**
         * The TLS socket factory for STARTTLS and SSL, for a private CA or a pinned certificate; default the JDK's.
         * Host names are verified either way.
         */
        public Builder sslSocketFactory(SSLSocketFactory value) {
            this.sslSocketFactory = value;
            return this;
        }

        /** The clock for the Date header of messages without a date; default UTC system clock. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws ValidationException naming every bad setting
         */
        public SmtpMailer build() {
            List<Violation> v = new ArrayList<>();
            if (host == null || host.isBlank()) {
                v.add(new Violation("host", "is required"));
            } else if (HeaderChecks.hasUnsafeCharacters(host) || host.contains(" ") || host.length() > 253) {
                v.add(new Violation("host", "is not a host name or address"));
            }
            if (port < 0 || port > 65535) {
                v.add(new Violation("port", "must be between 1 and 65535"));
            }
            if (security == null) {
                v.add(new Violation("security", "is required"));
            }
            if (username != null || password != null) {
                if (username == null || username.isBlank() || HeaderChecks.hasUnsafeCharacters(username)) {
                    v.add(new Violation("username", "must be set without control characters"));
                }
                if (password == null || password.isBlank()) {
                    v.add(new Violation("password", "is required with a username"));
                }
                if (security == SmtpSecurity.NONE
                        && host != null
                        && !LOOPBACK.contains(host.toLowerCase(Locale.ROOT))) {
                    v.add(new Violation(
                            "security", "NONE would send the credentials in clear text; use STARTTLS or SSL"));
                }
            }
            Mailbox sender = null;
            if (fromAddress == null) {
                v.add(new Violation("from.address", "is required"));
            } else {
                List<Violation> fv = Mailbox.check("from.", fromAddress, fromName);
                if (fv.isEmpty()) {
                    sender = new Mailbox(fromAddress, fromName);
                } else {
                    v.addAll(fv);
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
            requirePositive(v, "connectTimeout", connectTimeout);
            requirePositive(v, "readTimeout", readTimeout);
            requirePositive(v, "writeTimeout", writeTimeout);
            if (messageIdDomain != null && !HeaderChecks.isDomain(messageIdDomain)) {
                v.add(new Violation("messageIdDomain", "must be a DNS name such as shop.example.com"));
            }
            if (localHostName != null && !HeaderChecks.isDomain(localHostName) && !"localhost".equals(localHostName)) {
                v.add(new Violation("localHostName", "must be a DNS name"));
            }
            if (clock == null) {
                v.add(new Violation("clock", "is required"));
            }
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
            // validated above: without violations, host and sender are set
            return new SmtpMailer(
                    this, Objects.requireNonNull(host, "host"), Objects.requireNonNull(sender, "sender"), reply);
        }

        private static void requirePositive(List<Violation> v, String field, @Nullable Duration value) {
            Violations.positiveDuration(v, field, value);
            if (value != null && value.toMillis() > Integer.MAX_VALUE) {
                v.add(new Violation(field, "is too long"));
            }
        }
    }
}
