package dev.postpurchase.examples.quickstart;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;

/** The decoded text of every text part of a message, joined: what a reader sees, whatever the transfer encoding. */
final class MailText {
    private MailText() {}

    static String of(Part part) {
        StringBuilder text = new StringBuilder();
        try {
            collect(part, text);
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot read a received message", e);
        }
        return text.toString();
    }

    private static void collect(Part part, StringBuilder text) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collect(child, text);
            }
        } else if (content instanceof String s) {
            text.append(s).append('\n');
        }
    }
}
