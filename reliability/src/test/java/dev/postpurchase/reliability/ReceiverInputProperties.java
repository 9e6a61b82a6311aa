package dev.postpurchase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.kajabi.KajabiCartPurchase;
import dev.postpurchase.kajabi.KajabiOrderConverter;
import dev.postpurchase.kajabi.KajabiPaymentSucceeded;
import dev.postpurchase.kajabi.KajabiPurchaseCreated;
import dev.postpurchase.kajabi.KajabiWebhook;
import dev.postpurchase.kajabi.KajabiWebhooks;
import dev.postpurchase.webhook.StandardWebhookSigner;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookSecret;
import dev.postpurchase.webhook.WebhookVerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * What a receiving endpoint parses: Kajabi's outbound webhooks ({@link KajabiWebhooks#parse} and the {@link
 * KajabiOrderConverter}) only ever throw {@link ValidationException}; the Standard Webhooks verifier only ever
 * throws {@link WebhookVerificationException}, whatever the headers, body or query.
 */
class ReceiverInputProperties {
    private static final List<String> FIXTURES = List.of(
            "cart-purchase-all-fields.json",
            "form-submission-all-fields.json",
            "payment-succeeded-all-fields.json",
            "payment-succeeded-primary-plus-two-bumps.json",
            "payment-succeeded-single-offer.json",
            "purchase-created-1-primary.json",
            "purchase-created-all-fields.json",
            "purchase-created-legacy-flat.json");
    private static final AtomicLong KAJABI_PARSED = new AtomicLong();
    private static final AtomicLong KAJABI_CONVERTED = new AtomicLong();
    private static final AtomicLong KAJABI_REJECTED = new AtomicLong();
    private static final AtomicLong KAJABI_KNOWN_BUG = new AtomicLong();
    private static final AtomicLong VERIFIED = new AtomicLong();
    private static final AtomicLong VERIFY_REJECTED = new AtomicLong();
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final WebhookSecret SECRET = WebhookSecret.generate();
    private static final StandardWebhookVerifier VERIFIER = StandardWebhookVerifier.builder()
            .secret(SECRET)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();

    static {
        Evidence.secret(SECRET.encoded());
    }

    private static JsonNode fixture(String name) {
        try (InputStream in = ReceiverInputProperties.class.getResourceAsStream("/kajabi/" + name)) {
            return PostpurchaseJson.mapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Property(tries = 1500)
    void aMutatedKajabiPayloadParsesAndConvertsOrFailsWithAValidationException(@ForAll long seed) {
        Random random = new Random(seed);
        String json;
        int shape = random.nextInt(10);
        if (shape == 0) {
            json = Hostile.text(random);
        } else if (shape == 1) {
            json = Hostile.value(random, 3).toString();
        } else {
            JsonNode seedPayload = fixture(FIXTURES.get(random.nextInt(FIXTURES.size())));
            json = Hostile.mutate(seedPayload, random, 1 + random.nextInt(8)).toString();
        }
        if (hasEpochOutOfRange(json)) {
            KAJABI_KNOWN_BUG.incrementAndGet(); // counted: these once threw DateTimeException, now fixed
        }
        KajabiWebhook parsed;
        try {
            parsed = KajabiWebhooks.parse(json);
            KAJABI_PARSED.incrementAndGet();
        } catch (ValidationException e) {
            KAJABI_REJECTED.incrementAndGet();
            assertThat(e.fields()).containsOnly("payload");
            Evidence.exception(e);
            return;
        }
        KajabiOrderConverter converter = KajabiOrderConverter.defaults();
        try {
            if (parsed instanceof KajabiPurchaseCreated purchase) {
                converter.fromPurchases(List.of(purchase));
            } else if (parsed instanceof KajabiPaymentSucceeded payment) {
                converter.fromPayment(payment);
            } else if (parsed instanceof KajabiCartPurchase cart) {
                converter.fromCart(cart);
            }
            KAJABI_CONVERTED.incrementAndGet();
        } catch (ValidationException e) {
            KAJABI_REJECTED.incrementAndGet();
            Evidence.exception(e);
        }
    }

    /**
     * True when a date field ({@code ..._at}, {@code ...date...}) holds an integer outside the range of {@link
     * Instant}: {@code KajabiWebhooks.parse} once threw {@code DateTimeException} for it (reported in RELIABILITY.md
     * and fixed); such payloads are counted and must now end like any other.
     */
    private static boolean hasEpochOutOfRange(String json) {
        JsonNode root;
        try {
            root = PostpurchaseJson.mapper().readTree(json);
        } catch (IOException e) {
            return false;
        }
        List<JsonNode> pending = new ArrayList<>();
        if (root != null) {
            pending.add(root);
        }
        while (!pending.isEmpty()) {
            JsonNode node = pending.remove(pending.size() - 1);
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    String name = e.getKey().toLowerCase(java.util.Locale.ROOT);
                    JsonNode value = e.getValue();
                    if ((name.endsWith("_at") || name.contains("date"))
                            && value.isIntegralNumber()
                            && (!value.canConvertToLong()
                                    || Math.abs((double) value.longValue()) > Instant.MAX.getEpochSecond())) {
                        return true;
                    }
                    pending.add(value);
                }
            } else if (node.isArray()) {
                node.forEach(pending::add);
            }
        }
        return false;
    }

    /** A header value as frameworks hand them over: a string, a list, an array, null or something else. */
    private static Object headerValue(Random random, String good) {
        String text = random.nextInt(3) == 0 ? Hostile.text(random) : good;
        return switch (random.nextInt(7)) {
            case 0 -> List.of(text, Hostile.text(random));
            case 1 -> new String[] {text};
            case 2 -> new ArrayList<>();
            case 3 -> new String[0];
            case 4 -> 42;
            default -> text;
        };
    }

    @Property(tries = 2000)
    void theVerifierRejectsHostileHeadersOnlyWithAWebhookVerificationException(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] body = ("{\"type\":\"order.paid\",\"n\":" + random.nextInt() + "}").getBytes(StandardCharsets.UTF_8);
        String id = "msg_" + Long.toHexString(random.nextLong());
        long timestamp = NOW.getEpochSecond() + random.nextInt(900) - 450;
        String signature = StandardWebhookSigner.of(SECRET).sign(id, timestamp, body);
        String ts =
                switch (random.nextInt(6)) {
                        // any long, up to 19 digits: beyond Instant's range once threw DateTimeException (fixed)
                    case 0 -> Long.toString(random.nextLong());
                    case 1 -> "-" + timestamp;
                    case 2 -> " " + timestamp;
                    default -> Long.toString(timestamp);
                };
        Map<String, Object> headers = new HashMap<>();
        if (random.nextInt(8) != 0) {
            headers.put(random.nextBoolean() ? "webhook-id" : "Webhook-ID", headerValue(random, id));
        }
        if (random.nextInt(8) != 0) {
            headers.put("webhook-timestamp", headerValue(random, ts));
        }
        if (random.nextInt(8) != 0) {
            String sig =
                    switch (random.nextInt(6)) {
                        case 0 -> "v1," + Hostile.text(random);
                        case 1 -> "v1a," + signature.substring(3);
                        case 2 -> signature + " v1,!!!! v2,abc ,,, v1";
                        case 3 -> Hostile.text(random);
                        default -> signature;
                    };
            headers.put("WEBHOOK-SIGNATURE", headerValue(random, sig));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            headers.put(Hostile.text(random), Hostile.text(random));
        }
        byte[] sent = random.nextInt(4) == 0 ? Hostile.text(random).getBytes(StandardCharsets.UTF_8) : body;
        try {
            VERIFIER.verify(sent, headers);
            VERIFIED.incrementAndGet();
        } catch (WebhookVerificationException e) {
            VERIFY_REJECTED.incrementAndGet();
            Evidence.exception(e);
        }
        try {
            VERIFIER.verifyQuery(random.nextBoolean() ? Hostile.text(random) : "a=%ZZ&b=%C3%28&=&&x", headers);
            VERIFIED.incrementAndGet();
        } catch (WebhookVerificationException e) {
            VERIFY_REJECTED.incrementAndGet();
        }
    }

    @AfterContainer
    static void report() {
        Figures.report(
                "Bad input: receiver side (jqwik)",
                "Kajabi payloads (mutated fixtures and arbitrary JSON): " + KAJABI_PARSED.get() + " parsed, "
                        + KAJABI_CONVERTED.get() + " converted to orders, " + KAJABI_REJECTED.get()
                        + " ValidationException, 0 other exceptions; " + KAJABI_KNOWN_BUG.get()
                        + " of them with an out-of-range epoch in a date field (once a DateTimeException, fixed)",
                "Standard Webhooks verifier (hostile headers, bodies and queries): " + VERIFIED.get() + " verified, "
                        + VERIFY_REJECTED.get() + " WebhookVerificationException, 0 other exceptions");
    }
}
