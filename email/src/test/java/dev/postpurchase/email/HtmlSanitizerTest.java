package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.email.internal.HtmlSanitizer;
import dev.postpurchase.email.internal.HtmlToText;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class HtmlSanitizerTest {
    private static final HtmlSanitizer PLAIN = HtmlSanitizer.RICH_TEXT_UNSTYLED;

    @Test
    void keepsAllowedFormattingAndDropsStyleClassAndEventAttributes() {
        String out = PLAIN.sanitize(
                "<P class=x style=\"color:red\" onclick=\"steal()\">Hello <STRONG>bold</STRONG> <em>it</em><br/>"
                        + "<u>u</u> <s>s</s></p>");

        assertThat(out).isEqualTo("<p>Hello <strong>bold</strong> <em>it</em><br><u>u</u> <s>s</s></p>");
    }

    @Test
    void removesScriptsAndStylesWithTheirContent() {
        assertThat(PLAIN.sanitize("a<script>alert(1)</script>b<style>p{}</style>c<SCRIPT >x</SCRIPT\n>d"))
                .isEqualTo("abcd");
        assertThat(PLAIN.sanitize("a<svg><script>alert(1)</script><text>x</text></svg>b"))
                .isEqualTo("ab");
        assertThat(PLAIN.sanitize("<iframe src=\"https://evil.example\">inside</iframe>ok"))
                .isEqualTo("ok");
        assertThat(PLAIN.sanitize("<script>never closed")).isEmpty();
    }

    @Test
    void keepsTheTextOfDisallowedTags() {
        assertThat(PLAIN.sanitize("<div><font color=red>Hi</font> <marquee>there</marquee></div>"))
                .isEqualTo("Hi there");
        assertThat(PLAIN.sanitize("<img src=x onerror=alert(1)>after")).isEqualTo("after");
    }

    @Test
    void keepsOnlySafeLinkTargets() {
        assertThat(PLAIN.sanitize("<a href=\"https://shop.example/help?a=1&amp;b=2\" onmouseover=x>help</a>"))
                .isEqualTo("<a href=\"https://shop.example/help?a=1&amp;b=2\" target=\"_blank\""
                        + " rel=\"noopener noreferrer\">help</a>");
        assertThat(PLAIN.sanitize("<a href=\"mailto:help@shop.example\">mail</a>"))
                .isEqualTo("<a href=\"mailto:help@shop.example\">mail</a>");
        for (String evil : List.of(
                "javascript:alert(1)",
                "JaVaScRiPt:alert(1)",
                "&#106;avascript:alert(1)",
                "java\tscript:alert(1)",
                " javascript:alert(1)",
                "data:text/html;base64,PHNjcmlwdD4=",
                "vbscript:x",
                "//evil.example/",
                "/relative",
                "https://user:pass@evil.example/")) {
            assertThat(PLAIN.sanitize("<a href=\"" + evil + "\">x</a>"))
                    .as(evil)
                    .isEqualTo("<a>x</a>");
        }
    }

    @Test
    void escapesTextAndAttributeBreakouts() {
        assertThat(PLAIN.sanitize("1 < 2 & 3 > 2 \"q\" 'a'"))
                .isEqualTo("1 &lt; 2 &amp; 3 &gt; 2 &quot;q&quot; &#39;a&#39;");
        assertThat(PLAIN.sanitize("&lt;script&gt;alert(1)&lt;/script&gt;"))
                .isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(PLAIN.sanitize("<a href='https://x.example/\"><script>alert(1)</script>'>x</a>"))
                .as("a URL with quotes and angle brackets is not a valid URL: the link is dropped, the text kept")
                .isEqualTo("<a>x</a>");
        assertThat(PLAIN.sanitize("<a href=\"https://x.example/?q=a%22b\" title=\"\"><script>x</script>\">y</a>"))
                .isEqualTo("<a href=\"https://x.example/?q=a%22b\" target=\"_blank\" rel=\"noopener noreferrer\">"
                        + "&quot;&gt;y</a>");
    }

    @Test
    void closesWhatIsOpenAndRepairsStrayTagsAsBrowsersDo() {
        assertThat(PLAIN.sanitize("<ul><li>one<li>two</ul></b></p><strong>open"))
                .as("a list item ends the previous one; a stray </p> is an empty paragraph, as HTML parsing says")
                .isEqualTo("<ul><li>one</li><li>two</li></ul><p></p><strong>open</strong>");
        assertThat(PLAIN.sanitize("<p>a<!-- hidden <script> -->b<!doctype html><?xml x?></p>"))
                .isEqualTo("<p>ab</p>");
        assertThat(PLAIN.sanitize("trailing <b")).isEqualTo("trailing ");
        assertThat(PLAIN.sanitize("2 <3 and <-- x")).isEqualTo("2 &lt;3 and &lt;-- x");
    }

    @Test
    void theTemplatePolicyAlsoAllowsSimpleTablesAndHttpsImages() {
        String out = HtmlSanitizer.TEMPLATE.sanitize("<table width=600 onclick=x><tr><td align=right colspan=2"
                + " bgcolor=red>x</td></tr></table><img src=\"https://cdn.example/logo.png\" alt=\"Logo\" width=120"
                + " onload=x><img src=\"http://cdn.example/insecure.png\">");

        assertThat(out)
                .contains("<table width=\"600\" role=\"presentation\"")
                .contains("<td colspan=\"2\" align=\"right\" style=")
                .contains("<img src=\"https://cdn.example/logo.png\" alt=\"Logo\" width=\"120\" style=")
                .doesNotContain("onclick", "onload", "bgcolor", "insecure");
    }

    @Test
    void theStyledPolicyAddsOnlyItsOwnInlineStyles() {
        String out = HtmlSanitizer.RICH_TEXT.sanitize("<p style=\"position:fixed\">x</p>");

        assertThat(out).isEqualTo("<p style=\"margin:0 0 16px 0;\">x</p>");
    }

    @Test
    void plainTextConversionKeepsStructureAndLinkTargets() {
        String text = HtmlToText.convert("<h2>Title</h2><p>Hello <strong>you</strong>,<br>welcome.</p><ul><li>one</li>"
                + "<li>two</li></ul><p><a href=\"https://shop.example/x\">our shop</a> &amp; more</p>");

        assertThat(text)
                .isEqualTo("Title\n\nHello you,\nwelcome.\n\n- one\n- two\n\nour shop (https://shop.example/x) & more");
    }

    private static final Set<String> DANGEROUS = Set.of(
            "script", "style", "iframe", "img", "svg", "object", "embed", "form", "input", "link", "meta", "base",
            "div", "span", "table", "font", "marquee", "body", "html");

    @Property(tries = 2000)
    void neverLetsADisallowedTagOrAttributeThrough(@ForAll("hostileHtml") String html) {
        String out = PLAIN.sanitize(html);

        Element body = Jsoup.parseBodyFragment(out).body();
        for (Element element : body.getAllElements()) {
            if (element == body) {
                continue;
            }
            assertThat(PLAIN.allowedTags()).contains(element.normalName());
            assertThat(DANGEROUS).doesNotContain(element.normalName());
            assertThat(element.attributes().asList())
                    .extracting(Attribute::getKey)
                    .isSubsetOf("href", "target", "rel");
            if (element.hasAttr("href")) {
                assertThat(element.attr("href")).matches("(?i)^(https?://|mailto:).*");
            }
        }
        assertThat(body.select("*").stream().flatMap(e -> e.dataNodes().stream()))
                .as("no script or style data")
                .isEmpty();
        assertThat(out.toLowerCase()).doesNotContain("<script", "<img", "<svg", "<iframe");
        assertThat(PLAIN.sanitize(out)).as("sanitising is idempotent").isEqualTo(out);
    }

    @Provide
    Arbitrary<String> hostileHtml() {
        Arbitrary<String> pieces = Arbitraries.of(
                "<",
                ">",
                "</",
                "/>",
                "<!--",
                "-->",
                "\"",
                "'",
                "=",
                " ",
                "\t",
                "\n",
                "&",
                "&#106;",
                "&lt;",
                "&amp;",
                ";",
                "a",
                "b",
                "p",
                "li",
                "ul",
                "strong",
                "script",
                "SCRIPT",
                "style",
                "img",
                "svg",
                "iframe",
                "href",
                "src",
                "onerror",
                "onclick",
                "javascript:",
                "https://x.example/",
                "mailto:a@b.example",
                "alert(1)",
                "<script>",
                "</script>",
                "<a href=",
                "<img src=x onerror=",
                "<p>",
                "</p>",
                "<b>",
                "<!doctype>",
                "<?x?>",
                "<![CDATA[",
                "]]>",
                "\u0000",
                "\u2028",
                "ä");
        return pieces.list().ofMaxSize(40).map(list -> String.join("", list));
    }
}
