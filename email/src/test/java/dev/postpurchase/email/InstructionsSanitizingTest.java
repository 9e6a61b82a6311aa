package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.email.internal.HtmlSanitizer;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fulfillment instructions reach the customer through {@link FulfillmentEmailDelivery}, which sanitises them with the
 * rich-text policy of custom emails (here without its inline styles, which {@link HtmlSanitizerTest} covers).
 */
class InstructionsSanitizingTest {
    /** Every tag the policy may write; anything else in the output must be text. */
    private static final Pattern ALLOWED_MARKUP =
            Pattern.compile("</?(p|br|b|strong|i|em|u|s|h1|h2|h3|ul|ol|li|code|pre|blockquote|a)>"
                    + "|<a href=\"https?://[^\"<>\\s]*\" target=\"_blank\" rel=\"noopener noreferrer\">"
                    + "|<a href=\"mailto:[^\"<>\\s]*\">");

    private static final String NEW_TAB = " target=\"_blank\" rel=\"noopener noreferrer\"";

    private static String sanitize(String html) {
        return HtmlSanitizer.RICH_TEXT_UNSTYLED.sanitize(html);
    }

    @Test
    void keepsTheAllowedTagsInLowerCaseWithoutAttributes() {
        assertThat(sanitize("<P class=\"x\" style='color:red'>Your <B>licence</B> key:<BR/>"
                        + "<UL><li>step <em>one</em></li><li><code>run --activate</code></li></UL></P>"))
                .as("a list ends the open paragraph, and the stray </P> is an empty one, as HTML parsing says")
                .isEqualTo("<p>Your <b>licence</b> key:<br></p><ul><li>step <em>one</em></li>"
                        + "<li><code>run --activate</code></li></ul><p></p>");
    }

    @Test
    void keepsHttpHttpsAndMailtoLinksAndDropsEveryOtherHref() {
        assertThat(sanitize("<a href=\"https://example.com/dl?a=1&amp;b=2\" onclick=\"x()\">download</a>"))
                .isEqualTo("<a href=\"https://example.com/dl?a=1&amp;b=2\"" + NEW_TAB + ">download</a>");
        assertThat(sanitize("<a href=mailto:help@example.com>help</a>"))
                .isEqualTo("<a href=\"mailto:help@example.com\">help</a>");
        assertThat(sanitize("<a href=\"javascript:alert(1)\">x</a>")).isEqualTo("<a>x</a>");
        assertThat(sanitize("<a href=\"java&#9;script:alert(1)\">x</a>")).isEqualTo("<a>x</a>");
        assertThat(sanitize("<a href=\" JaVaScRiPt:alert(1)\">x</a>")).isEqualTo("<a>x</a>");
        assertThat(sanitize("<a href=\"&#106;avascript:alert(1)\">x</a>")).isEqualTo("<a>x</a>");
        assertThat(sanitize("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>"))
                .isEqualTo("<a>x</a>");
        assertThat(sanitize("<a href=\"/relative/path\">x</a>")).isEqualTo("<a>x</a>");
        assertThat(sanitize("<a href=\"https:evil\">x</a>")).isEqualTo("<a>x</a>");
    }

    @Test
    void dropsScriptsStylesAndFramesWithTheirContentButKeepsTheTextOfOtherUnknownTags() {
        assertThat(sanitize("a<script>alert('x')</script >b<style>p{}</style>c<SCRIPT src=x>"))
                .isEqualTo("abc");
        assertThat(sanitize("<div><span onclick=x>kept</span></div><img src=x onerror=alert(1)>"))
                .isEqualTo("kept");
        assertThat(sanitize("<iframe src=\"https://evil\">inside</iframe>after"))
                .isEqualTo("after");
        assertThat(sanitize("<svg><script>alert(1)</script></svg>ok")).isEqualTo("ok");
    }

    @Test
    void escapesStrayAngleBracketsAndAmpersandsAndDecodesCharacterReferences() {
        assertThat(sanitize("1 < 2 > 0 & R&D &amp; &copy; &#169; &#xA9; &nocolon"))
                .isEqualTo("1 &lt; 2 &gt; 0 &amp; R&amp;D &amp; \u00a9 \u00a9 \u00a9 &amp;nocolon");
        assertThat(sanitize("<b unclosed=\"quote>text"))
                .as("a tag still open at the end of the input is dropped with what follows, as HTML parsing says")
                .isEmpty();
    }

    @Test
    void dropsCommentsDoctypesAndProcessingInstructions() {
        assertThat(sanitize("<!DOCTYPE html><?xml x?>a<!-- <script>alert(1)</script> -->b<!-- never closed"))
                .isEqualTo("ab");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "<b><i>x</b>y|<b><i>x</i></b><i>y</i>",
                "</b>x</p>|x<p></p>",
                "<ul><li>one<li>two|<ul><li>one</li><li>two</li></ul>",
                "<a href=\"https://a\">one<a href=\"https://b\">two</a>|" + "<a href=\"https://a\"" + NEW_TAB
                        + ">one</a><a href=\"https://b\"" + NEW_TAB + ">two</a>"
            })
    void balancesTagsAsBrowsersDo(String input, String expected) {
        assertThat(sanitize(input)).isEqualTo(expected);
    }

    @Test
    void givesTheEmptyStringForEmptyInput() {
        assertThat(sanitize("")).isEmpty();
    }

    @Property(tries = 2000)
    void theOutputHoldsOnlyAllowedMarkupAndSanitisingAgainChangesNothing(@ForAll("html") String input) {
        String once = sanitize(input);
        assertThat(sanitize(once)).isEqualTo(once);
        String text = ALLOWED_MARKUP.matcher(once).replaceAll("");
        assertThat(text).doesNotContain("<", ">");
        // Whatever the input, every '<' and '>' left is one of the allowed tags (links only http, https, mailto);
        // the rest is escaped text, where strings such as "onerror=alert(1)" are harmless.
    }

    @Provide
    Arbitrary<String> html() {
        Arbitrary<String> fragment = Arbitraries.oneOf(
                Arbitraries.of(
                        "<b>",
                        "</b>",
                        "<p>",
                        "</p>",
                        "<br>",
                        "<br/>",
                        "<li>",
                        "</ul>",
                        "<ul>",
                        "<a href=\"",
                        "<a href='https://x.example/?q=1&amp;r=\"2\"'>",
                        "</a>",
                        "<script>",
                        "</script>",
                        "<style>",
                        "<!--",
                        "-->",
                        "<!",
                        "<?",
                        "<",
                        ">",
                        "&",
                        "&amp;",
                        "&#60;",
                        "&lt;",
                        "\"",
                        "'",
                        "=",
                        " ",
                        "onerror=alert(1)",
                        "javascript:alert(1)",
                        "<img src=x onerror=alert(1)>",
                        "<SCRIPT>",
                        "<a href=javascript:alert(1)>",
                        "mailto:a@b",
                        "https://",
                        "\u0000",
                        "\t",
                        "<svg>",
                        "</svg>",
                        "<em",
                        "/>",
                        "<a href=\"https://ok.example/\">"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(6));
        return fragment.list().ofMaxSize(25).map(parts -> String.join("", parts));
    }
}
