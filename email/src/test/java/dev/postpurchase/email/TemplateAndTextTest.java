package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.email.internal.MarkdownLiteral;
import dev.postpurchase.email.internal.Messages;
import dev.postpurchase.email.internal.MoneyFormat;
import dev.postpurchase.email.internal.Template;
import dev.postpurchase.email.internal.TemplateValue;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateAndTextTest {

    @Test
    void placeholdersAreEscapedInHtmlAndRawInText() {
        Template t = Template.parse("<p>Hi {{ customer.firstName }}, order {{order.id}}</p>", "html");
        Map<String, TemplateValue> values = Map.of(
                "customer.firstName", TemplateValue.text("<script>alert('x')</script>"),
                "order.id", TemplateValue.text("A&B"));

        assertThat(t.renderHtml(values::get))
                .isEqualTo("<p>Hi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;, order A&amp;B</p>");
        assertThat(t.renderText(values::get)).isEqualTo("<p>Hi <script>alert('x')</script>, order A&B</p>");
        assertThat(t.placeholders()).containsExactly("customer.firstName", "order.id");
    }

    @Test
    void anEmptyNameClosesUpWithThePunctuationAfterItInsteadOfLeavingAGap() {
        Map<String, TemplateValue> none = Map.of("customer.firstName", TemplateValue.text(""));
        Map<String, TemplateValue> aino = Map.of("customer.firstName", TemplateValue.text("Aino"));

        assertThat(render("Hi {{customer.firstName}},", none)).isEqualTo("Hi,");
        assertThat(render("Welcome, {{customer.firstName}}!", none)).isEqualTo("Welcome!");
        assertThat(render("Welcome, {{customer.firstName}}", none)).isEqualTo("Welcome");
        assertThat(render("<p>Hei {{customer.firstName}}!</p>", none)).isEqualTo("<p>Hei!</p>");
        assertThat(render("<p>Hi {{customer.firstName}}</p>", none))
                .as("followed by markup, not punctuation")
                .isEqualTo("<p>Hi </p>");
        assertThat(render("Hi {{customer.firstName}},", aino)).isEqualTo("Hi Aino,");
        assertThat(render("Welcome, {{customer.firstName}}!", aino)).isEqualTo("Welcome, Aino!");
    }

    private static String render(String template, Map<String, TemplateValue> values) {
        return Template.parse(template, "t").renderHtml(values::get);
    }

    @Test
    void aMalformedOrUnknownPlaceholderIsRefusedNamingTheField() {
        ValidationException malformed = catchThrowableOfType(
                ValidationException.class, () -> Template.parse("Hi {{customer.first name}}", "content.fi.subject"));
        assertThat(malformed.fields()).containsExactly("content.fi.subject");
        assertThat(malformed).hasMessageContaining("character 4");

        ValidationException unclosed =
                catchThrowableOfType(ValidationException.class, () -> Template.parse("Hi {{order.id", "subject"));
        assertThat(unclosed.fields()).containsExactly("subject");

        ValidationException unknown = catchThrowableOfType(
                ValidationException.class, () -> Template.parse("{{order.id}} {{customer.password}}", "subject")
                        .requireKnown("subject", Set.of("order.id"), Set.of("customer.field.")));
        assertThat(unknown).hasMessageContaining("[customer.password]");

        Template.parse("{{customer.field.company_size}}", "subject")
                .requireKnown("subject", Set.of(), Set.of("customer.field."));
    }

    @Test
    void backslashEscapedMarkdownIsShownLiterallyAndEscaped() {
        MarkdownLiteral m = MarkdownLiteral.parse("Use \\*all\\* features \\_now\\_ <b>bold?</b> & *stars* C:\\temp");

        assertThat(m.literal()).isEqualTo("Use *all* features _now_ <b>bold?</b> & *stars* C:\\temp");
        assertThat(m.toHtml())
                .isEqualTo("<p style=\"margin:0 0 12px 0;\">Use *all* features _now_ &lt;b&gt;bold?&lt;/b&gt; &amp;"
                        + " *stars* C:\\temp</p>\n");
        assertThat(m.isKeyLike()).isFalse();
    }

    @Test
    void codeSpansAndFencesAreShownAsCodeVerbatim() {
        MarkdownLiteral m = MarkdownLiteral.parse(
                "Your key: `AB\\*CD-<1>`\nKeep it safe.\n\n```\nline *1*\n  <line 2>\n```\nunclosed `tick");

        assertThat(m.toHtml())
                .contains("Your key: <code style=")
                .contains(">AB\\*CD-&lt;1&gt;</code><br>\nKeep it safe.")
                .contains("<pre style=")
                .contains(">line *1*\n  &lt;line 2&gt;</pre>")
                .contains("unclosed `tick");
        assertThat(m.literal()).contains("Your key: AB\\*CD-<1>");
    }

    @Test
    void bareLicenceKeysAreOneCopyableMonospaceBlock() {
        MarkdownLiteral single = MarkdownLiteral.parse("  XXXX-1234-\\*ABC*-9\r\n");
        assertThat(single.isKeyLike()).isTrue();
        assertThat(single.keys()).isEqualTo("XXXX-1234-*ABC*-9");
        assertThat(single.toHtml())
                .startsWith("<pre style=\"font-family:'SFMono-Regular',Consolas")
                .contains("user-select:all;")
                .endsWith(">XXXX-1234-*ABC*-9</pre>");

        MarkdownLiteral several = MarkdownLiteral.parse("KEY-1\n\nKEY-2\n`KEY-3`");
        assertThat(several.isKeyLike()).isTrue();
        assertThat(several.keys()).isEqualTo("KEY-1\nKEY-2\nKEY-3");
    }

    @Test
    void moneyIsFormattedForTheLanguageWithTheCurrencysMinorUnits() {
        assertThat(new MoneyFormat(Locale.forLanguageTag("fi"), "EUR").format(1999))
                .isEqualTo("19,99\u00a0€");
        assertThat(new MoneyFormat(Locale.forLanguageTag("fi"), "EUR").format(-500))
                .isEqualTo("\u22125,00\u00a0€");
        assertThat(new MoneyFormat(Locale.forLanguageTag("en"), "EUR").format(1999))
                .isEqualTo("€19.99");
        assertThat(new MoneyFormat(Locale.forLanguageTag("en"), "JPY").format(1500))
                .isEqualTo("¥1,500");
        assertThat(new MoneyFormat(Locale.forLanguageTag("fi"), "JPY").format(1500))
                .isEqualTo("1\u00a0500\u00a0¥");
        assertThat(new MoneyFormat(Locale.forLanguageTag("en"), "KWD").format(12345))
                .isEqualTo("KWD12.345");
        assertThat(new MoneyFormat(Locale.forLanguageTag("sv"), "KWD").format(12345))
                .isEqualTo("12,345\u00a0KWD");
        assertThat(new MoneyFormat(Locale.forLanguageTag("sv"), "SEK").format(19900))
                .isEqualTo("199,00\u00a0kr");
    }

    @Test
    void everyTranslationHasEveryEnglishKeyAndOtherLanguagesFallBackToEnglish() {
        Set<String> english = Messages.bundle("en").keySet();
        assertThat(Messages.bundle("fi").keySet()).isEqualTo(english);
        assertThat(Messages.bundle("sv").keySet()).isEqualTo(english);

        assertThat(Messages.forLanguage("fi-FI").language()).isEqualTo("fi");
        assertThat(Messages.forLanguage("sv-FI").raw("receipt.total")).isEqualTo("Totalt betalt");
        assertThat(Messages.forLanguage("de").language()).isEqualTo("en");
        assertThat(Messages.forLanguage("de").raw("receipt.total")).isEqualTo("Total paid");
        for (String language : Messages.LANGUAGES) {
            Messages.bundle(language).forEach((key, text) -> Template.parse(text, key));
        }
    }
}
