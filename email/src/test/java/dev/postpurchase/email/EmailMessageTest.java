package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.postpurchase.core.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailMessageTest {

    private static EmailMessage.Builder valid() {
        return EmailMessage.builder()
                .to("anna@example.fi", "Anna")
                .subject("Receipt")
                .text("text")
                .html("<p>html</p>")
                .messageId("<msg_1.receipt@postpurchase.invalid>");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Hello\r\nBcc: evil@example.org",
                "Hello\nBcc: x",
                "Hello\rX",
                "tab\there",
                "nul\u0000",
                "del\u007f",
                "c1\u0085",
                "line\u2028separator",
                "para\u2029separator"
            })
    void aSubjectWithCrLfOrAnyControlCharacterIsRefusedNamingTheField(String subject) {
        InvalidEmailException e = catchThrowableOfType(
                InvalidEmailException.class, () -> valid().subject(subject).build());

        assertThat(e.fields()).containsExactly("subject");
        assertThat(e).isInstanceOf(ValidationException.class);
    }

    @Test
    void aDisplayNameWithALineBreakIsRefused() {
        InvalidEmailException e = catchThrowableOfType(
                InvalidEmailException.class, () -> valid().to("bob@example.com", "Bob\r\nBcc: evil@example.org")
                        .build());

        assertThat(e.fields()).containsExactly("to[1].name");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "plainaddress",
                "a@b",
                "first@last@example.com",
                "anna@example.fi\r\nBcc: x@y.zz",
                "\"quoted\"@example.com",
                "anna@[127.0.0.1]",
                "anna @example.com",
                "Anna <anna@example.fi>",
                "anna@example.fi,eve@example.org",
                "anna@-example.com",
                ".anna@example.com"
            })
    void anAddressThatIsNotOnePlainMailboxIsRefused(String address) {
        InvalidEmailException e = catchThrowableOfType(InvalidEmailException.class, () -> Mailbox.of(address));

        assertThat(e.fields()).containsExactly("address");
    }

    @Test
    void plainAddressesAndUnicodeNamesAreAccepted() {
        Mailbox mailbox = Mailbox.of("first.last+tag@sub.example.co.uk", "Åsa Öberg");

        assertThat(mailbox.address()).isEqualTo("first.last+tag@sub.example.co.uk");
        assertThat(mailbox.name()).isEqualTo("Åsa Öberg");
        assertThat(Mailbox.of("x@example.com", "  ").name()).isNull();
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        InvalidEmailException e = catchThrowableOfType(InvalidEmailException.class, () -> EmailMessage.builder()
                .to("not an address")
                .replyTo("reply@example.com", "Support\n")
                .subject(" ")
                .text("")
                .html("")
                .messageId("msg_1@nobrackets")
                .header("Bcc", "evil@example.org")
                .header("X-Run", "ok\r\nBcc: evil@example.org")
                .header("Bad Name", "x")
                .build());

        assertThat(e.fields())
                .containsExactlyInAnyOrder(
                        "to[0].address",
                        "replyTo.name",
                        "subject",
                        "text",
                        "html",
                        "messageId",
                        "headers[Bcc]",
                        "headers[X-Run]",
                        "headers[Bad Name]");
    }

    @Test
    void aMessageNeedsARecipient() {
        assertThatThrownBy(() -> EmailMessage.builder()
                        .subject("s")
                        .text("t")
                        .html("h")
                        .messageId("<a@b.cc>")
                        .build())
                .isInstanceOf(InvalidEmailException.class)
                .satisfies(e -> assertThat(((InvalidEmailException) e).fields()).containsExactly("to"));
    }

    @Test
    void toStringShowsNeitherContentNorAddresses() {
        EmailMessage message = valid().build();

        assertThat(message.toString())
                .isEqualTo("EmailMessage[messageId=<msg_1.receipt@postpurchase.invalid>, recipients=1]");
    }

    @Test
    void messageIdsAreStablePerRunAndPurpose() {
        assertThat(MessageIds.forRun("msg_3f2a9c", "receipt")).isEqualTo("<msg_3f2a9c.receipt@postpurchase.invalid>");
        assertThat(MessageIds.forRun("msg_3f2a9c", "custom", "shop.example.com"))
                .isEqualTo("<msg_3f2a9c.custom@shop.example.com>");
        String hashed = MessageIds.forRun("key with spaces & <brackets>", "receipt");
        assertThat(hashed)
                .isEqualTo(MessageIds.forRun("key with spaces & <brackets>", "receipt"))
                .matches("<h[0-9a-f]{32}\\.receipt@postpurchase\\.invalid>");
        assertThatThrownBy(() -> MessageIds.forRun("k", "Receipt!")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> MessageIds.forRun("k", "receipt", "localhost\r\n"))
                .isInstanceOf(ValidationException.class);
    }
}
