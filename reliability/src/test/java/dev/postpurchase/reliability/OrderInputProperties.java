package dev.postpurchase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.order.Address;
import dev.postpurchase.core.order.Affiliate;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.OrderSource;
import dev.postpurchase.core.order.Totals;
import dev.postpurchase.core.order.Transaction;
import dev.postpurchase.core.order.Trial;
import dev.postpurchase.testing.TestOrders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import org.jspecify.annotations.Nullable;

/**
 * Orders from arbitrary field values: building one with {@link Order#builder()} or reading one with {@link
 * PostpurchaseJson#read} either succeeds or throws {@link ValidationException}, never a NullPointerException,
 * ArithmeticException, DateTimeException or any other exception.
 */
class OrderInputProperties {
    private static final AtomicLong BUILT = new AtomicLong();
    private static final AtomicLong REJECTED = new AtomicLong();
    private static final AtomicLong READ = new AtomicLong();
    private static final AtomicLong READ_REJECTED = new AtomicLong();

    @Provide
    Arbitrary<@Nullable String> texts() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().all().ofMaxLength(30),
                        Arbitraries.of(
                                "",
                                " ",
                                "\r\n",
                                "a\r\nBcc: x@example.com",
                                "<b>x</b>",
                                "fi",
                                "en-US",
                                "und",
                                "EUR",
                                "JPY",
                                "eur",
                                "XXX",
                                "aino@example.com",
                                "a@b",
                                "x".repeat(300)))
                .injectNull(0.15);
    }

    /** Mostly {@code valid}, sometimes a hostile text or null. */
    private Arbitrary<@Nullable String> mostly(String... valid) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(valid)), net.jqwik.api.Tuple.of(1, texts()));
    }

    @Provide
    Arbitrary<@Nullable String> ids() {
        return mostly("order-1", "o", "ORD 1001 ä", "x".repeat(255));
    }

    @Provide
    Arbitrary<@Nullable String> languages() {
        return mostly("fi", "en", "sv-FI", "zh-Hant-TW");
    }

    @Provide
    Arbitrary<@Nullable String> currencies() {
        return mostly("EUR", "JPY", "KWD", "USD");
    }

    @Provide
    Arbitrary<LineItem> items() {
        Arbitrary<LineItem> valid = Combinators.combine(
                        ids(),
                        Arbitraries.integers().between(1, 5),
                        Arbitraries.longs().between(0, 100_000),
                        Arbitraries.longs().between(0, 1_000),
                        Arbitraries.longs().between(0, 10_000))
                .as((product, quantity, price, discount, tax) -> {
                    // the canonical constructor, not the builder: ids() may give a hostile product id, which the
                    // order must refuse (the builder would refuse it already here)
                    long lineDiscount = Math.min(discount, price * quantity + tax); // a larger one is refused
                    return new LineItem(
                            product,
                            "offer-1",
                            "Title " + product,
                            quantity,
                            price,
                            lineDiscount,
                            tax,
                            price * quantity - lineDiscount + tax);
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, valid), net.jqwik.api.Tuple.of(1, hostileItems()));
    }

    private Arbitrary<LineItem> hostileItems() {
        Arbitrary<@Nullable String> text = texts();
        Arbitrary<Long> amounts = Arbitraries.oneOf(
                Arbitraries.longs(),
                Arbitraries.longs().between(-5, 100_000),
                Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE / 2 + 1));
        Arbitrary<Integer> quantities =
                Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-1, 5));
        return Combinators.combine(text, text, text, quantities, amounts, amounts, amounts, Arbitraries.of(true, false))
                .as((product, offer, title, quantity, price, discount, tax, computed) -> {
                    long total = computed ? price * quantity - discount + tax : price;
                    return new LineItem(product, offer, title, quantity, price, discount, tax, total);
                });
    }

    /** A customer, or null where the values are refused already here (null custom fields): the order is then invalid. */
    private static @Nullable Customer customerOrNull(
            @Nullable String email,
            @Nullable String first,
            @Nullable String last,
            @Nullable String phone,
            @Nullable Address address,
            @Nullable String business,
            Map<String, String> fields) {
        try {
            return new Customer(email, first, last, phone, address, business, fields);
        } catch (dev.postpurchase.core.ValidationException e) {
            return null;
        }
    }

    @Provide
    Arbitrary<@Nullable Customer> customers() {
        Arbitrary<@Nullable String> text = texts();
        Arbitrary<Map<String, String>> custom = Arbitraries.maps(
                        Arbitraries.strings().all().ofMaxLength(10),
                        Arbitraries.strings().all().ofMaxLength(20).injectNull(0.2))
                .ofMaxSize(3);
        Arbitrary<@Nullable Address> addresses = Combinators.combine(text, text, text, text, text, text)
                .as(Address::new)
                .injectNull(0.3);
        return Combinators.combine(
                        mostly("aino@example.com", "a.b+c@sub.example.fi"), text, text, text, addresses, text, custom)
                .as(OrderInputProperties::customerOrNull)
                .injectNull(0.05);
    }

    @Provide
    Arbitrary<@Nullable Transaction> transactions() {
        Arbitrary<@Nullable String> text = texts();
        Arbitrary<@Nullable Instant> instants = Arbitraries.of(
                        Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.parse("2026-01-01T00:00:00Z"))
                .injectNull(0.05);
        return Combinators.combine(ids(), text, text, text, instants)
                .as(Transaction::new)
                .injectNull(0.05);
    }

    @Provide
    Arbitrary<Boolean> rarely() {
        return Arbitraries.frequency(net.jqwik.api.Tuple.of(1, true), net.jqwik.api.Tuple.of(5, false));
    }

    @Property(tries = 600)
    void anOrderBuiltFromArbitraryValuesIsValidOrRejectedWithAValidationException(
            @ForAll("ids") @Nullable String id,
            @ForAll("ids") @Nullable String checkoutId,
            @ForAll("languages") @Nullable String language,
            @ForAll("currencies") @Nullable String currency,
            @ForAll("customers") @Nullable Customer customer,
            @ForAll("transactions") @Nullable Transaction transaction,
            @ForAll @Size(max = 4) List<@From("items") LineItem> items,
            @ForAll @Size(max = 3) List<@From("languages") String> checkoutLanguages,
            @ForAll("rarely") boolean explicitTotals,
            @ForAll long total) {
        Order.Builder builder = Order.builder()
                .id(id)
                .checkoutId(checkoutId)
                .offerId(id)
                .source(OrderSource.FUNNEL)
                .language(language)
                .currency(currency)
                .customer(customer)
                .items(items)
                .transaction(transaction)
                .affiliate(new Affiliate("aff", language))
                .trial(new Trial(-1, Instant.MIN));
        // null elements included: they once threw NullPointerException (reported, fixed)
        builder.checkoutLanguages(new ArrayList<>(checkoutLanguages));
        if (explicitTotals) {
            builder.totals(new Totals(total, total, total, total));
        }
        try {
            Order order = builder.build();
            BUILT.incrementAndGet();
            assertThat(order.items()).isNotEmpty();
        } catch (ValidationException e) {
            REJECTED.incrementAndGet();
            assertThat(e.violations()).isNotEmpty();
            Evidence.exception(e);
        }
    }

    @Property(tries = 800)
    void anOrderReadFromMutatedJsonIsValidOrRejectedWithAValidationException(@ForAll long seed) {
        Random random = new Random(seed);
        JsonNode valid = PostpurchaseJson.mapper()
                .valueToTree(
                        TestOrders.paidOrder("order-" + random.nextInt(1000)).build());
        String json = Hostile.mutate(valid, random, 1 + random.nextInt(6)).toString();
        Assume.that(!Hostile.isJsonNull(json));
        try {
            PostpurchaseJson.read(json, Order.class, "order");
            READ.incrementAndGet();
        } catch (ValidationException e) {
            READ_REJECTED.incrementAndGet();
            Evidence.exception(e);
        }
    }

    @Property(tries = 200)
    void arbitraryTextReadAsAnOrderIsRejectedWithAValidationException(@ForAll long seed) {
        Random random = new Random(seed);
        String json =
                switch (random.nextInt(4)) {
                    case 0 -> Hostile.text(random);
                    case 1 -> "[".repeat(5000) + "]".repeat(5000);
                    case 2 -> "{\"id\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001);
                    default -> Hostile.value(random, 3).toString();
                };
        try {
            PostpurchaseJson.read(json, Order.class, "order");
            READ.incrementAndGet();
        } catch (ValidationException e) {
            READ_REJECTED.incrementAndGet();
        }
    }

    @AfterContainer
    static void report() {
        Figures.report(
                "Bad input: orders (jqwik)",
                "Order.builder(): " + (BUILT.get() + REJECTED.get()) + " tries, " + BUILT.get() + " valid, "
                        + REJECTED.get() + " ValidationException, 0 other exceptions",
                "PostpurchaseJson.read(Order): " + (READ.get() + READ_REJECTED.get())
                        + " mutated or arbitrary documents, " + READ.get() + " read, " + READ_REJECTED.get()
                        + " ValidationException, 0 other exceptions");
    }
}
