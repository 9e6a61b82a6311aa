package dev.postpurchase.kajabi;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.order.Address;
import dev.postpurchase.core.order.Affiliate;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.Formats;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.OrderSource;
import dev.postpurchase.core.order.Totals;
import dev.postpurchase.core.order.Transaction;
import dev.postpurchase.core.order.Trial;
import dev.postpurchase.kajabi.internal.LineDraft;
import dev.postpurchase.kajabi.internal.PaymentSequences;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns Kajabi's outbound webhook payloads into {@link Order}s: <b>one order per Kajabi payment transaction</b>,
 * whose items carry per-offer amounts and whose totals add up to what the customer paid, so revenue is never counted
 * twice. Immutable and thread-safe once built.
 *
 * <h2>Order id</h2>
 *
 * {@link #orderId(String) "kajabi-" + the transaction id} for every kind: the Purchase Created events of one
 * transaction, its Payment Succeeded event and its Cart Purchase event all map to the same id. Since {@code
 * ActionPipeline.submit} is idempotent on the order id, submitting any of them again, or several of them, creates
 * the order's runs once. (Subscribe to one kind per purpose: whichever arrives first defines the order's items.)
 *
 * <h2>Amounts</h2>
 *
 * <ul>
 *   <li><b>Purchase Created</b>: since the multiple-order-bump change, a primary offer bought with bumps gives one
 *       event per offer, each carrying the <em>whole</em> transaction's amounts. {@link #fromPurchases} builds one
 *       order from all events of one transaction, one item per offer, priced from the offer-level fields ({@code
 *       offer.unit_cost}, {@code subtotal}, {@code total_amount}), never from the repeated transaction amounts.
 *       Events without offer-level amounts (the older layout) are priced by the transaction's amounts when they are
 *       the transaction's only offer. Items are ordered by event id, so the primary offer comes first whatever the
 *       arrival order.
 *   <li><b>Payment Succeeded</b> names all offers of a bundled transaction (comma-separated) but only the
 *       transaction's amounts. {@link #fromPayment} splits the subtotal over the offers in proportion to their list
 *       prices when an {@link Builder#offerPrices offer price lookup} knows every one of them; the discount and tax
 *       follow the subtotals. Every split is exact (largest remainder, ties to the first offer).
 *   <li><b>Unknown prices are never made up.</b> When two or more offers of a transaction state no price and the
 *       lookup does not know them all, the order's lines carry no amounts ({@code LineItem.amountsKnown()} false)
 *       and the order states the transaction's totals, reconciled to {@code amount_paid}: a receipt shows the totals only, a webhook says the line amounts are
 *       unknown. {@link Builder#splitUnknownPricesEqually} asks for the equal split instead, explicitly.
 *   <li><b>Cart Purchase</b> has per-line amounts, used as sent.
 *   <li>Finally the items are reconciled with the transaction's {@code amount_paid} (for a complete set of
 *       purchases): an excess becomes extra discount spread by item total (a transaction-level coupon), a shortfall
 *       extra tax spread by subtotal. So the order's {@code totals.total} equals {@code amount_paid}.
 * </ul>
 *
 * <p>Amounts are read in minor units when Kajabi sends them, else from the {@code _decimal} fields scaled by the
 * currency's digits. A product id is needed per item: by default the offer id ({@link Builder#productIds}).
 *
 * <p>Kajabi sends no checkout id, language or order source: they come from the builder ({@code kajabi}, {@code en},
 * {@link OrderSource#SHOP} by default). A missing transaction time is taken from the clock.
 *
 * @see KajabiPurchaseCollector for gathering the Purchase Created events of a transaction as they arrive
 */
public final class KajabiOrderConverter {
    /** The prefix of every order id this converter makes. */
    public static final String ORDER_ID_PREFIX = "kajabi-";

    private final String checkoutId;
    private final String language;
    private final List<String> checkoutLanguages;
    private final OrderSource source;
    private final Function<String, String> productIds;
    private final Function<String, @Nullable Long> offerPrices;
    private final boolean splitUnknownPricesEqually;
    private final Clock clock;

    private KajabiOrderConverter(Builder b) {
        this.checkoutId = b.checkoutId;
        this.language = b.language;
        this.checkoutLanguages = List.copyOf(b.checkoutLanguages);
        this.source = b.source;
        this.productIds = b.productIds;
        this.offerPrices = b.offerPrices;
        this.splitUnknownPricesEqually = b.splitUnknownPricesEqually;
        this.clock = b.clock;
    }

    /** A converter with every default. */
    public static KajabiOrderConverter defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The order id of a Kajabi transaction: {@code kajabi-<transactionId>}. */
    public static String orderId(String transactionId) {
        if (transactionId == null || transactionId.isBlank()) {
            throw new ValidationException("transactionId", "is required");
        }
        return ORDER_ID_PREFIX + transactionId.strip();
    }

    /**
     * Whether the given Purchase Created events of one transaction are all of it: the offer-level subtotals (before
     * discounts) reach the transaction subtotal; when the events or the transaction do not state subtotals, the
     * offer-level totals reach {@code amount_paid}. Events without offer-level
     * amounts (the older layout, one event per transaction) are complete on their own, as is a transaction that
     * states no amounts. Duplicates (the same event id twice) count once.
     */
    public static boolean isComplete(Collection<KajabiPurchaseCreated> purchases) {
        List<KajabiPurchaseCreated> events = distinct(purchases);
        if (events.isEmpty()) {
            return false;
        }
        KajabiPurchaseTransaction tx = merged(events);
        String currency = currency(tx.currency());
        Long subtotal = tx.subtotal().resolve(currency);
        Long paid = tx.amountPaid().resolve(currency);
        if (subtotal == null && paid == null) {
            return true;
        }
        long offerSubtotals = 0;
        long offerTotals = 0;
        boolean subtotalsStated = true;
        for (KajabiPurchaseCreated event : events) {
            KajabiOffer offer = event.offer();
            if (!offer.hasOfferAmounts() || offer.isMultiple()) {
                return true;
            }
            Long unit = offer.unitCost().resolve(currency);
            int quantity = offer.quantity() == null ? 1 : Math.max(1, offer.quantity());
            Long sub = offer.subtotal().resolve(currency);
            Long total = offer.totalAmount().resolve(currency);
            if (sub == null && unit != null) {
                sub = unit * quantity;
            }
            subtotalsStated &= sub != null;
            offerSubtotals += sub == null ? 0 : sub;
            offerTotals += total != null ? total : (sub == null ? 0 : sub);
        }
        if (subtotal != null && subtotalsStated) {
            return offerSubtotals >= subtotal;
        }
        if (paid != null) {
            return offerTotals >= paid;
        }
        // neither stated returned early above: without amount_paid, the subtotal is stated
        return offerSubtotals >= Objects.requireNonNull(subtotal, "subtotal");
    }

    /**
     * One order from the Purchase Created events of <em>one</em> transaction (in any order, duplicates ignored). The
     * order's items are the events' offers; its totals add up to {@code amount_paid} when the set {@link
     * #isComplete is complete}, and to the offers present otherwise (never more than was paid).
     *
     * @throws ValidationException when the list is empty, the events belong to different transactions, or the
     *     resulting order is invalid (for example no valid customer email)
     */
    public Order fromPurchases(Collection<KajabiPurchaseCreated> purchases) {
        Objects.requireNonNull(purchases, "purchases");
        List<KajabiPurchaseCreated> events = distinct(purchases);
        if (events.isEmpty()) {
            throw new ValidationException("purchases", "must contain at least one Purchase Created event");
        }
        String transactionId = events.get(0).transactionId();
        if (transactionId == null) {
            throw new ValidationException(
                    "purchases[0].transaction.id", "is required (neither a transaction id nor an id)");
        }
        for (int i = 1; i < events.size(); i++) {
            if (!transactionId.equals(events.get(i).transactionId())) {
                throw new ValidationException(
                        "purchases[" + i + "].transaction.id",
                        "belongs to another transaction; convert each transaction separately");
            }
        }
        KajabiPurchaseTransaction tx = merged(events);
        String currency = currency(tx.currency());
        List<LineDraft> lines = new ArrayList<>();
        for (KajabiPurchaseCreated event : events) {
            KajabiOffer offer = event.offer();
            if (offer.ids().size() <= 1 && offer.hasOfferAmounts()) {
                String offerId = offer.id();
                int quantity = offer.quantity() != null ? offer.quantity() : 1;
                lines.add(new LineDraft(
                        productId(offerId, lines.size()),
                        offerId,
                        title(offer, 0, offerId),
                        quantity,
                        offer.unitCost().resolve(currency),
                        offer.subtotal().resolve(currency),
                        null,
                        null,
                        offer.totalAmount().resolve(currency),
                        1));
            } else {
                int quantity = offer.ids().size() <= 1 && tx.quantity() != null ? tx.quantity() : 1;
                lines.addAll(unpricedLines(offer, quantity, lines.size()));
            }
        }
        KajabiPurchaseCreated primary = events.get(0);
        KajabiMember member = mergedMember(events);
        KajabiContactDetails contact = firstWithAddress(events);
        boolean complete = isComplete(events);
        Long txSubtotal = tx.subtotal().resolve(currency);
        Long txDiscount = tx.discountAmount().resolve(currency);
        Long txPaid = tx.amountPaid().resolve(currency);
        boolean listPriced = events.stream()
                .map(KajabiPurchaseCreated::offer)
                .filter(offer -> offer.ids().size() > 1 || !offer.hasOfferAmounts())
                .allMatch(this::knowsEveryListPrice);
        List<LineItem> items;
        Totals totals = null;
        if (leaveUnpriced(lines, listPriced)) {
            LineDraft.Unpriced unpriced = LineDraft.unknownAmounts(lines, txSubtotal, txDiscount, null, txPaid);
            items = unpriced.items();
            totals = unpriced.totals();
        } else {
            items = LineDraft.complete(lines, txSubtotal, txDiscount, null, txPaid, complete);
        }
        Instant paidAt = tx.createdAt() != null ? tx.createdAt() : clock.instant();
        Trial trial = null;
        if (Boolean.TRUE.equals(primary.trial())) {
            Integer days = tx.recurring().trialPeriodDays();
            trial = new Trial(
                    days == null ? 0 : days, days == null || days <= 0 ? null : paidAt.plus(Duration.ofDays(days)));
        }
        KajabiAffiliate affiliate = events.stream()
                .map(KajabiPurchaseCreated::affiliate)
                .filter(KajabiAffiliate::isPresent)
                .findFirst()
                .orElse(null);
        return base(transactionId, currency, member, contact, items, totals)
                .offerId(items.get(0).offerId())
                .transaction(new Transaction(
                        transactionId, tx.paymentProcessor(), tx.paymentMethod(), tx.couponCode(), paidAt))
                .affiliate(affiliate(affiliate))
                .marketingOptIn(events.stream().anyMatch(e -> Boolean.TRUE.equals(e.optIn())))
                .trial(trial)
                .build();
    }

    /**
     * The orders of Purchase Created events of any number of transactions, one per transaction, in order of first
     * appearance. Incomplete transactions give orders of the offers present, see {@link #fromPurchases}.
     */
    public List<Order> fromPurchasesByTransaction(Collection<KajabiPurchaseCreated> purchases) {
        Map<String, List<KajabiPurchaseCreated>> byTransaction = new LinkedHashMap<>();
        int index = 0;
        for (KajabiPurchaseCreated purchase : purchases) {
            String id = purchase.transactionId();
            if (id == null) {
                throw new ValidationException("purchases[" + index + "].transaction.id", "is required");
            }
            byTransaction.computeIfAbsent(id, k -> new ArrayList<>()).add(purchase);
            index++;
        }
        List<Order> orders = new ArrayList<>();
        for (List<KajabiPurchaseCreated> group : byTransaction.values()) {
            orders.add(fromPurchases(group));
        }
        return orders;
    }

    /**
     * One order from a Payment Succeeded event. With several (comma-separated) offers the transaction's amounts are
     * split over them by list price, or the lines carry no amounts, as the class documentation says; with none (Kajabi may leave the offer out for orders
     * with several offers) the order has one item, product id {@code kajabi-transaction}, without an offer.
     *
     * <p>Kajabi sends Payment Succeeded for every payment of a subscription or payment plan, each with its own
     * transaction (so its own order id). The order's {@link Order#payment() payment} says which one it is: {@code
     * FIRST}, or {@code RENEWAL} (subscription) / {@code INSTALMENT} (payment plan) for a later payment, so the
     * pipeline runs the one-off actions (grants, fulfillment, custom emails) once and receipts and webhooks for every
     * payment. A payment is a later one when the plan counts at least two payments made ({@code payments_made}), or
     * when it was made at least half a billing interval after the subscription's first charge ({@code
     * recurring_payment.created_at}, plus the trial days unless a setup fee was charged at once). Without the
     * {@code recurring_payment} group it is a one-time payment, {@code FIRST}; without its {@code created_at} (or a
     * transaction time) and a payment count, the converter cannot tell and says {@code FIRST}.
     *
     * @throws ValidationException when the transaction id is missing or the order is invalid
     */
    public Order fromPayment(KajabiPaymentSucceeded payment) {
        Objects.requireNonNull(payment, "payment");
        KajabiPaymentTransaction tx = payment.paymentTransaction();
        if (tx.id() == null) {
            throw new ValidationException("payment_transaction.id", "is required");
        }
        String currency = currency(tx.currency());
        KajabiOffer offer = payment.offer();
        int quantity = offer.ids().size() <= 1 && tx.quantity() != null ? tx.quantity() : 1;
        List<LineDraft> lines = unpricedLines(offer, quantity, 0);
        Long txSubtotal = tx.subtotal().resolve(currency);
        Long txDiscount = tx.discountAmount().resolve(currency);
        Long txTax = tx.salesTax().resolve(currency);
        Long txPaid = tx.amountPaid().resolve(currency);
        List<LineItem> items;
        Totals totals = null;
        if (leaveUnpriced(lines, knowsEveryListPrice(offer))) {
            LineDraft.Unpriced unpriced = LineDraft.unknownAmounts(lines, txSubtotal, txDiscount, txTax, txPaid);
            items = unpriced.items();
            totals = unpriced.totals();
        } else {
            items = LineDraft.complete(lines, txSubtotal, txDiscount, txTax, txPaid, true);
        }
        KajabiRecurringPayment recurring = payment.recurringPayment();
        Long setupFee = recurring.setupFee().resolve(currency);
        return base(tx.id(), currency, payment.member(), null, items, totals)
                .offerId(offer.id())
                .transaction(transaction(tx, tx.id()))
                .affiliate(affiliate(payment.affiliate()))
                .payment(PaymentSequences.of(
                        recurring.isPresent(),
                        recurring.createdAt(),
                        tx.createdAt(),
                        recurring.interval(),
                        recurring.intervalCount(),
                        recurring.trialPeriodDays(),
                        setupFee != null && setupFee > 0,
                        recurring.totalPaymentCount(),
                        recurring.paymentsMade(),
                        offer.types()))
                .build();
    }

    /**
     * One order from a Cart Purchase event: one item per order item with its own amounts (an item of type {@code
     * Offer} carries its id as offer id), reconciled with {@code amount_paid}. The order id is the payment
     * transaction's, so a Payment Succeeded event of the same payment maps to the same order; without a transaction
     * id it is {@code kajabi-cart-<order id>}.
     *
     * @throws ValidationException when the cart has no items or ids, or the order is invalid
     */
    public Order fromCart(KajabiCartPurchase cart) {
        Objects.requireNonNull(cart, "cart");
        KajabiPaymentTransaction tx = cart.paymentTransaction();
        String transactionId = tx.id();
        if (transactionId == null) {
            if (cart.order().id() == null) {
                throw new ValidationException("payment_transaction.id", "is required (and the order has no id)");
            }
            transactionId = "cart-" + cart.order().id();
        }
        if (cart.order().items().isEmpty()) {
            throw new ValidationException("order.order_items", "must contain at least one item");
        }
        String currency = currency(tx.currency());
        List<LineDraft> lines = new ArrayList<>();
        for (KajabiCartItem item : cart.order().items()) {
            boolean isOffer = item.type() == null || "offer".equalsIgnoreCase(item.type());
            String offerId = isOffer ? item.id() : null;
            String title = item.title() != null
                    ? item.title()
                    : item.internalTitle() != null ? item.internalTitle() : "Kajabi item " + item.id();
            lines.add(new LineDraft(
                    productId(item.id(), lines.size()),
                    offerId,
                    title,
                    item.quantity() == null ? 1 : item.quantity(),
                    item.unitCost().resolve(currency),
                    item.subtotal().resolve(currency),
                    item.discountAmount().resolve(currency),
                    item.salesTax().resolve(currency),
                    item.totalAmount().resolve(currency),
                    1));
        }
        List<LineItem> items = LineDraft.complete(
                lines,
                tx.subtotal().resolve(currency),
                tx.discountAmount().resolve(currency),
                tx.salesTax().resolve(currency),
                tx.amountPaid().resolve(currency),
                true);
        return base(transactionId, currency, cart.member(), cart.contact(), items, null)
                .transaction(transaction(tx, transactionId))
                .build();
    }

    private List<LineDraft> unpricedLines(KajabiOffer offer, int quantity, int offset) {
        List<LineDraft> lines = new ArrayList<>();
        if (offer.ids().isEmpty()) {
            lines.add(new LineDraft(
                    "kajabi-transaction",
                    null,
                    offer.titles().size() == 1 ? offer.titles().get(0) : "Kajabi purchase",
                    quantity,
                    null,
                    null,
                    null,
                    null,
                    null,
                    1));
            return lines;
        }
        boolean listPriced = knowsEveryListPrice(offer);
        for (int i = 0; i < offer.ids().size(); i++) {
            String id = offer.ids().get(i);
            Long price = listPriced ? offerPrices.apply(id) : null;
            long weight = price != null ? price : 1;
            lines.add(new LineDraft(
                    productId(id, offset + i),
                    id,
                    title(offer, i, id),
                    quantity,
                    null,
                    null,
                    null,
                    null,
                    null,
                    weight));
        }
        return lines;
    }

    /** Whether the offer price lookup knows the list price of every offer of {@code offer}. */
    private boolean knowsEveryListPrice(KajabiOffer offer) {
        if (offer.ids().isEmpty()) {
            return false;
        }
        for (String id : offer.ids()) {
            Long price = offerPrices.apply(id);
            if (price == null || price < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the lines must go without amounts: two or more of them state no price, their list prices are not all
     * known, and no equal split was asked for. One line without a price is exact (it gets what the others leave).
     */
    private boolean leaveUnpriced(List<LineDraft> lines, boolean listPriced) {
        long withoutPrice = lines.stream().filter(line -> !line.hasSubtotal()).count();
        return withoutPrice >= 2 && !listPriced && !splitUnknownPricesEqually;
    }

    private Order.Builder base(
            String transactionId,
            @Nullable String currency,
            KajabiMember member,
            @Nullable KajabiContactDetails contact,
            List<LineItem> items,
            @Nullable Totals totals) {
        Order.Builder builder = Order.builder();
        if (totals != null) {
            builder.totals(totals);
        }
        return builder.id(orderId(transactionId))
                .checkoutId(checkoutId)
                .source(source)
                .language(language)
                .checkoutLanguages(checkoutLanguages)
                .currency(currency == null ? "" : currency)
                .customer(customer(member, contact))
                .items(items);
    }

    private static Customer customer(KajabiMember member, @Nullable KajabiContactDetails contact) {
        String email = member.email() == null ? "" : member.email().strip();
        String first = member.firstName();
        String last = member.lastName();
        if (first == null && last == null && member.name() != null) {
            String name = member.name().strip();
            int space = name.lastIndexOf(' ');
            first = space < 0 ? name : name.substring(0, space).strip();
            last = space < 0 ? null : name.substring(space + 1).strip();
        }
        Customer.Builder builder = Customer.builder(email).firstName(first).lastName(last);
        if (contact != null) {
            builder.phone(contact.phoneNumber()).businessId(contact.businessNumber());
            if (contact.hasAddress()) {
                String country = contact.addressCountry();
                if (country != null && country.length() == 2) {
                    country = country.toUpperCase(Locale.ROOT);
                } else {
                    country = null;
                }
                builder.address(new Address(
                        contact.addressLine1(),
                        contact.addressLine2(),
                        contact.addressZip(),
                        contact.addressCity(),
                        contact.addressState(),
                        country));
            }
            contact.customFields().forEach(builder::customField);
        }
        return builder.build();
    }

    private Transaction transaction(KajabiPaymentTransaction tx, String id) {
        return new Transaction(
                id,
                tx.paymentProcessor(),
                tx.paymentMethod(),
                tx.couponCode(),
                tx.createdAt() != null ? tx.createdAt() : clock.instant());
    }

    private static @Nullable Affiliate affiliate(@Nullable KajabiAffiliate affiliate) {
        if (affiliate == null || !affiliate.isPresent()) {
            return null;
        }
        String id = affiliate.userId() != null ? affiliate.userId() : affiliate.conversionId();
        if (id == null) {
            return null;
        }
        return new Affiliate(id, affiliate.userName());
    }

    private String productId(@Nullable String offerOrItemId, int index) {
        if (offerOrItemId == null) {
            return "kajabi-item-" + (index + 1);
        }
        String mapped = productIds.apply(offerOrItemId);
        return mapped == null || mapped.isBlank() ? offerOrItemId : mapped;
    }

    /** The i-th title when titles align with ids, else the aligned internal title, else a generated one. */
    private static String title(KajabiOffer offer, int i, @Nullable String offerId) {
        int n = Math.max(1, offer.ids().size());
        if (offer.titles().size() == n) {
            return offer.titles().get(i);
        }
        if (offer.internalTitles().size() == n) {
            return offer.internalTitles().get(i);
        }
        return offerId == null ? "Kajabi offer" : "Kajabi offer " + offerId;
    }

    private static @Nullable String currency(@Nullable String value) {
        return value == null ? null : value.strip().toUpperCase(Locale.ROOT);
    }

    /** Events in event-id order (numeric ids numerically), each event id once, offers without an id kept. */
    private static List<KajabiPurchaseCreated> distinct(Collection<KajabiPurchaseCreated> purchases) {
        List<KajabiPurchaseCreated> sorted = new ArrayList<>(purchases);
        sorted.removeIf(Objects::isNull);
        sorted.sort(Comparator.comparing(KajabiPurchaseCreated::id, KajabiOrderConverter::compareIds));
        Set<String> seen = new HashSet<>();
        List<KajabiPurchaseCreated> result = new ArrayList<>();
        for (KajabiPurchaseCreated event : sorted) {
            String key = event.id() != null
                    ? "id:" + event.id()
                    : "offer:" + event.offer().ids();
            if (seen.add(key)) {
                result.add(event);
            }
        }
        return result;
    }

    private static int compareIds(@Nullable String a, @Nullable String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        boolean numericA = a.chars().allMatch(Character::isDigit);
        boolean numericB = b.chars().allMatch(Character::isDigit);
        if (numericA && numericB) {
            int byLength = Integer.compare(
                    a.replaceFirst("^0+", "").length(),
                    b.replaceFirst("^0+", "").length());
            return byLength != 0 ? byLength : a.replaceFirst("^0+", "").compareTo(b.replaceFirst("^0+", ""));
        }
        return a.compareTo(b);
    }

    /** The transaction fields of the primary event, with gaps filled from the other events. */
    private static KajabiPurchaseTransaction merged(List<KajabiPurchaseCreated> events) {
        KajabiPurchaseTransaction m = events.get(0).transaction();
        for (int i = 1; i < events.size(); i++) {
            KajabiPurchaseTransaction o = events.get(i).transaction();
            m = new KajabiPurchaseTransaction(
                    m.id() != null ? m.id() : o.id(),
                    m.createdAt() != null ? m.createdAt() : o.createdAt(),
                    m.offerType() != null ? m.offerType() : o.offerType(),
                    m.subtotal().isKnown() ? m.subtotal() : o.subtotal(),
                    m.discountAmount().isKnown() ? m.discountAmount() : o.discountAmount(),
                    m.amountPaid().isKnown() ? m.amountPaid() : o.amountPaid(),
                    m.currency() != null ? m.currency() : o.currency(),
                    m.paymentMethod() != null ? m.paymentMethod() : o.paymentMethod(),
                    m.paymentProcessor() != null ? m.paymentProcessor() : o.paymentProcessor(),
                    m.couponCode() != null ? m.couponCode() : o.couponCode(),
                    m.quantity() != null ? m.quantity() : o.quantity(),
                    m.recurring().isPresent() ? m.recurring() : o.recurring());
        }
        return m;
    }

    private static KajabiMember mergedMember(List<KajabiPurchaseCreated> events) {
        for (KajabiPurchaseCreated event : events) {
            if (Formats.isEmail(
                    event.member().email() == null
                            ? null
                            : event.member().email().strip())) {
                return event.member();
            }
        }
        return events.get(0).member();
    }

    private static @Nullable KajabiContactDetails firstWithAddress(List<KajabiPurchaseCreated> events) {
        for (KajabiPurchaseCreated event : events) {
            KajabiContactDetails contact = event.contact();
            if (contact.hasAddress() || !contact.customFields().isEmpty() || contact.phoneNumber() != null) {
                return contact;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "KajabiOrderConverter[checkoutId=" + checkoutId + ", language=" + language + ", source=" + source + "]";
    }

    /** Mutable, not thread-safe builder of {@link KajabiOrderConverter}. */
    public static final class Builder {
        private String checkoutId = "kajabi";
        private String language = "en";
        private List<String> checkoutLanguages = List.of();
        private OrderSource source = OrderSource.SHOP;
        private Function<String, String> productIds = offerId -> offerId;
        private Function<String, @Nullable Long> offerPrices = offerId -> null;
        private boolean splitUnknownPricesEqually;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The checkout whose checkout-level actions apply to Kajabi orders; default {@code kajabi}. */
        public Builder checkoutId(String value) {
            this.checkoutId = value;
            return this;
        }

        /** The orders' language (BCP 47); Kajabi sends none. Default {@code en}. */
        public Builder language(String value) {
            this.language = value;
            return this;
        }

        /** The checkout's languages, first one the default; empty by default. */
        public Builder checkoutLanguages(List<String> values) {
            this.checkoutLanguages = List.copyOf(values);
            return this;
        }

        /** The orders' source, which event subscriptions filter on; default {@link OrderSource#SHOP}. */
        public Builder source(OrderSource value) {
            this.source = value;
            return this;
        }

        /**
         * Maps a Kajabi offer id (or cart item id) to the product id whose product-level actions apply; default the
         * offer id itself. A null or blank answer falls back to the offer id.
         */
        public Builder productIds(Function<String, String> value) {
            this.productIds = value;
            return this;
        }

        /**
         * The list price (minor units) of a Kajabi offer, or null when unknown; used to split a bundled Payment
         * Succeeded transaction over its offers in proportion to their list prices. Only used when it knows every
         * offer of the transaction; by default it knows none and the lines of a bundle carry no amounts.
         */
        public Builder offerPrices(Function<String, @Nullable Long> value) {
            this.offerPrices = value;
            return this;
        }

        /**
         * Splits a bundle whose offer prices are unknown in equal parts over its offers instead of leaving its lines
         * without amounts. The parts are an allocation, not prices: they reach receipts, webhooks and fulfillment
         * requests as if they were what each offer cost (a $50 course with two $20 bumps shows $30 three times), so
         * turn this on only where every consumer of the orders knows. Default false.
         */
        public Builder splitUnknownPricesEqually(boolean value) {
            this.splitUnknownPricesEqually = value;
            return this;
        }

        /** The clock for transactions without a time; default UTC system clock. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Validates and builds. */
        public KajabiOrderConverter build() {
            List<dev.postpurchase.core.Violation> v = new ArrayList<>();
            if (checkoutId == null || checkoutId.isBlank() || Formats.hasControlCharacters(checkoutId)) {
                v.add(new dev.postpurchase.core.Violation("checkoutId", "is required, without control characters"));
            }
            if (!Formats.isLanguageTag(language)) {
                v.add(new dev.postpurchase.core.Violation("language", "must be a BCP 47 language tag"));
            }
            if (source == null) {
                v.add(new dev.postpurchase.core.Violation("source", "is required"));
            }
            if (productIds == null) {
                v.add(new dev.postpurchase.core.Violation("productIds", "is required"));
            }
            if (offerPrices == null) {
                v.add(new dev.postpurchase.core.Violation("offerPrices", "is required"));
            }
            if (clock == null) {
                v.add(new dev.postpurchase.core.Violation("clock", "is required"));
            }
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
            return new KajabiOrderConverter(this);
        }
    }
}
