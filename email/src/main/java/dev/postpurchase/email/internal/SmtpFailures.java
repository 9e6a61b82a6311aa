package dev.postpurchase.email.internal;

import dev.postpurchase.email.EmailDeliveryException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Maps Jakarta Mail failures to {@link EmailDeliveryException}: a 5xx reply is permanent, a 4xx reply and every
 * failure without a reply (refused, dropped or timed-out connection) is retryable, except what only a configuration
 * change can fix, which is permanent: a server certificate that is not trusted or names another host, and a server
 * that does not offer the STARTTLS the mailer requires. Works on the API types and the
 * reply text only, so Angus stays a runtime dependency.
 */
public final class SmtpFailures {
    /** An SMTP reply as Angus puts it into its exceptions: {@code 550 5.1.1 ...} or {@code 550-...}. */
    private static final Pattern REPLY_AT_START = Pattern.compile("^\\s*([2-5][0-9][0-9])(?:[ -]|$)");
    /** The reply code of a bad greeting: {@code ..., response: 421}. */
    private static final Pattern RESPONSE_CODE = Pattern.compile("response:\\s*([2-5][0-9][0-9])\\b");

    private static final int MAX_REPLY = 500;

    private SmtpFailures() {}

    /**
     * Classifies a failure of connecting to or sending through {@code server} ({@code host:port}, no credentials).
     */
    public static EmailDeliveryException classify(Exception failure, String server) {
        List<Throwable> chain = chain(failure);
        Reply reply = findReply(chain);
        boolean auth = chain.stream().anyMatch(t -> t instanceof AuthenticationFailedException);
        boolean recipient = isRecipientFailure(chain);
        boolean sender =
                chain.stream().anyMatch(t -> t.getClass().getSimpleName().equals("SMTPSenderFailedException"));
        if (reply != null) {
            boolean permanent = reply.code >= 500;
            String what;
            if (auth) {
                what = "SMTP authentication failed";
            } else if (recipient) {
                what = permanent ? "recipient rejected by the SMTP server" : "recipient deferred by the SMTP server";
            } else if (sender) {
                what = permanent ? "sender rejected by the SMTP server" : "sender deferred by the SMTP server";
            } else {
                what = permanent ? "SMTP server rejected the message" : "SMTP server deferred the message";
            }
            String message = what + " " + server + ": " + reply.text;
            return new EmailDeliveryException(message, !permanent, reply.code, reply.text, false, failure);
        }
        if (auth) {
            return new EmailDeliveryException("SMTP authentication failed at " + server, false, failure);
        }
        if (has(chain, SocketTimeoutException.class)) {
            return new EmailDeliveryException(
                    "SMTP server " + server + " did not answer in time", true, null, null, true, failure);
        }
        if (has(chain, ConnectException.class)) {
            return new EmailDeliveryException("could not connect to SMTP server " + server, true, failure);
        }
        if (has(chain, UnknownHostException.class)) {
            return new EmailDeliveryException("unknown SMTP host " + server, true, failure);
        }
        Throwable tls = first(chain, SSLException.class);
        if (tls != null) {
            return new EmailDeliveryException(
                    "TLS with SMTP server " + server + " failed: " + describe(deepest(tls)),
                    !isCertificateProblem(chain),
                    failure);
        }
        if (isStarttlsMissing(chain)) {
            return new EmailDeliveryException(
                    "SMTP server " + server + " does not offer STARTTLS, which the mailer requires: "
                            + describe(failure),
                    false,
                    failure);
        }
        if (has(chain, IOException.class)) {
            return new EmailDeliveryException(
                    "connection to SMTP server " + server + " failed: " + describe(failure), true, failure);
        }
        return new EmailDeliveryException("sending through " + server + " failed: " + describe(failure), true, failure);
    }

    /** The server's certificate is not trusted, expired or names another host: retrying cannot help. */
    private static boolean isCertificateProblem(List<Throwable> chain) {
        for (Throwable t : chain) {
            for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (c instanceof java.security.GeneralSecurityException) {
                    return true;
                }
                if (c instanceof java.security.cert.CertificateException) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isStarttlsMissing(List<Throwable> chain) {
        return chain.stream()
                .map(Throwable::getMessage)
                .anyMatch(m -> m != null && m.contains("STARTTLS") && m.contains("not support"));
    }

    private static boolean isRecipientFailure(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t.getClass().getSimpleName().equals("SMTPAddressFailedException")) {
                return true;
            }
            if (t instanceof SendFailedException s
                    && s.getInvalidAddresses() != null
                    && s.getInvalidAddresses().length > 0) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable Reply findReply(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (!(t instanceof MessagingException) || t.getMessage() == null) {
                continue;
            }
            String text = t.getMessage().strip();
            Matcher start = REPLY_AT_START.matcher(text);
            if (start.find()) {
                return new Reply(Integer.parseInt(start.group(1)), clean(text));
            }
            Matcher response = RESPONSE_CODE.matcher(text);
            if (response.find()) {
                return new Reply(Integer.parseInt(response.group(1)), clean(text));
            }
        }
        return null;
    }

    private static List<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> out = new ArrayList<>();
        List<Throwable> queue = new ArrayList<>();
        queue.add(failure);
        while (!queue.isEmpty() && out.size() < 20) {
            Throwable t = queue.remove(0);
            if (t == null || !seen.add(t)) {
                continue;
            }
            out.add(t);
            if (t instanceof MessagingException m && m.getNextException() != null) {
                queue.add(m.getNextException());
            }
            if (t.getCause() != null) {
                queue.add(t.getCause());
            }
        }
        return out;
    }

    private static @Nullable Throwable first(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().filter(type::isInstance).findFirst().orElse(null);
    }

    /** The root cause: certificate problems are explained at the bottom of the chain. */
    private static Throwable deepest(Throwable t) {
        Throwable current = t;
        for (int i = 0; i < 10 && current.getCause() != null && current.getCause() != current; i++) {
            current = current.getCause();
        }
        return current;
    }

    private static boolean has(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().anyMatch(type::isInstance);
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : clean(message);
    }

    /** One line, no control characters, bounded: the reply is recorded on the run and shown in the dashboard. */
    private static String clean(String text) {
        String flat = HeaderChecks.flatten(text).replaceAll(" {2,}", " ").strip();
        return flat.length() <= MAX_REPLY ? flat : flat.substring(0, MAX_REPLY) + "…";
    }

    private record Reply(int code, String text) {}
}
