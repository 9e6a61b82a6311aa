package dev.postpurchase.email;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads received messages back for assertions. */
final class Mail {
    private Mail() {}

    /** The multipart/alternative body of a received message. */
    static MimeMultipart alternative(MimeMessage message) throws MessagingException, IOException {
        return (MimeMultipart) message.getContent();
    }

    static String text(MimeMessage message) throws MessagingException, IOException {
        return part(message, "text/plain");
    }

    static String html(MimeMessage message) throws MessagingException, IOException {
        return part(message, "text/html");
    }

    private static String part(MimeMessage message, String type) throws MessagingException, IOException {
        MimeMultipart multipart = alternative(message);
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(type)) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    /** A local port nothing listens on. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a rendered email under target/rendered-emails so a person can open it. */
    static Path writeRendered(String name, String html) {
        try {
            Path dir = Path.of("target", "rendered-emails");
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            Files.writeString(file, html, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
