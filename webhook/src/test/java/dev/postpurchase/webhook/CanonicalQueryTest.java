package dev.postpurchase.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CanonicalQueryTest {

    @Test
    void encodesEverythingButTheUnreservedCharactersWithUpperCaseHex() {
        assertThat(CanonicalQuery.encode("AZaz09-._~")).isEqualTo("AZaz09-._~");
        assertThat(CanonicalQuery.encode("a b+c&d=e/f?g#h%")).isEqualTo("a%20b%2Bc%26d%3De%2Ff%3Fg%23h%25");
        assertThat(CanonicalQuery.encode("Zoë €")).isEqualTo("Zo%C3%AB%20%E2%82%AC");
        assertThat(CanonicalQuery.encode("😀")).isEqualTo("%F0%9F%98%80");
    }

    @Test
    void sortsByEncodedNameThenValueAndKeepsDuplicatesAndEmptyValues() {
        assertThat(CanonicalQuery.ofPairs(List.of(
                        Map.entry("b", "2"),
                        Map.entry("a", "z"),
                        Map.entry("a", "y"),
                        Map.entry("_", ""),
                        Map.entry("B", "1"))))
                .isEqualTo("B=1&_=&a=y&a=z&b=2");
    }

    @Test
    void readsAReceivedQueryWhateverItsEncodingDetails() {
        String canonical = CanonicalQuery.of(Map.of("name", "Aino Virtanen", "email", "a+b@example.com"));
        assertThat(canonical).isEqualTo("email=a%2Bb%40example.com&name=Aino%20Virtanen");
        // A proxy re-encoded spaces as '+', left '@' unescaped, used lower-case hex and reordered the pairs.
        assertThat(CanonicalQuery.canonicalize("name=Aino+Virtanen&email=a%2bb@example.com"))
                .isEqualTo(canonical);
        assertThat(CanonicalQuery.canonicalize("flag&&x=1&")).isEqualTo("flag=&x=1");
        assertThat(CanonicalQuery.canonicalize(null)).isEmpty();
        assertThat(CanonicalQuery.canonicalize("")).isEmpty();
    }

    @Test
    void refusesBrokenEscapesAndNonUtf8BytesWithoutEchoingTheQuery() {
        assertThatThrownBy(() -> CanonicalQuery.canonicalize("secret=abc%2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("abc");
        assertThatThrownBy(() -> CanonicalQuery.canonicalize("secret=abc%zz"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalQuery.canonicalize("secret=%C3%28"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void takesFrameworkParameterMapsWithEveryValue() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("b", new String[] {"2", "1"});
        parameters.put("a", List.of("x"));
        parameters.put("c", "3");
        assertThat(CanonicalQuery.ofParameters(parameters)).isEqualTo("a=x&b=1&b=2&c=3");
    }

    @Property
    void theCanonicalFormReadsBackToItselfWhateverTheOrder(@ForAll("pairs") List<Map.Entry<String, String>> pairs) {
        String canonical = CanonicalQuery.ofPairs(pairs);
        assertThat(CanonicalQuery.canonicalize(canonical)).isEqualTo(canonical);
        List<Map.Entry<String, String>> shuffled = new ArrayList<>(pairs);
        Collections.reverse(shuffled);
        assertThat(CanonicalQuery.ofPairs(shuffled)).isEqualTo(canonical);
        assertThat(CanonicalQuery.parse(canonical)).containsExactlyInAnyOrderElementsOf(pairs);
    }

    @Property
    void everyNameAndValueSurvivesEncodingAndDecoding(@ForAll String text) {
        String wellFormed = text.codePoints()
                .filter(cp -> !(cp >= 0xD800 && cp <= 0xDFFF))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        assertThat(CanonicalQuery.decode(CanonicalQuery.encode(wellFormed))).isEqualTo(wellFormed);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, String>>> pairs() {
        Arbitrary<String> text = Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('ë', '€', '日')
                .ofMaxLength(12);
        Arbitrary<Map.Entry<String, String>> pair =
                Combinators.combine(text.filter(s -> !s.isEmpty()), text).as(Map::entry);
        return pair.list().ofMaxSize(8);
    }
}
