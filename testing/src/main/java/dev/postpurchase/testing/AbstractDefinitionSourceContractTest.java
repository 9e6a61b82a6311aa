package dev.postpurchase.testing;

import static dev.postpurchase.testing.ConfigurationKitExecutors.POSTBACK;
import static dev.postpurchase.testing.ConfigurationKitExecutors.RECEIPT;
import static dev.postpurchase.testing.ConfigurationKitExecutors.WEBHOOK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.ConflictException;
import dev.postpurchase.core.NotFoundException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.VersionConflictException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.DefinitionQuery;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.core.spi.Page;
import dev.postpurchase.core.spi.Versioned;
import dev.postpurchase.testing.ConfigurationKitExecutors.KitConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link DefinitionStore} keeps: validation on save, optimistic locking, subscriptions, switches,
 * listing and new checkouts, one final test per rule, races included. Prove a store by a subclass that creates it
 * with the executors it is given:
 *
 * <pre>{@code
 * class MyDefinitionStoreContractTest extends AbstractDefinitionSourceContractTest {
 *     @Override
 *     protected DefinitionStore createStore(ActionExecutors executors) {
 *         return new MyDefinitionStore(dataSource, executors);
 *     }
 * }
 * }</pre>
 *
 * Each test gets a fresh store (a database-backed one should empty its tables there); {@link
 * #destroyStore(DefinitionStore)} releases it afterwards.
 */
public abstract class AbstractDefinitionSourceContractTest {
    private static final int RACERS = 8;

    /** The store under test. */
    protected DefinitionStore store;

    private final List<dev.postpurchase.core.spi.ActionExecutor<?>> executorList = ConfigurationKitExecutors.all();
    private final ActionExecutors executors = ActionExecutors.of(executorList);
    private final String prefix = "k" + UUID.randomUUID().toString().substring(0, 8) + "-";

    /** A new, empty store that validates with {@code executors}. */
    protected abstract DefinitionStore createStore(ActionExecutors executors);

    /** Releases a store after a test; closes it when it is {@link AutoCloseable}. */
    protected void destroyStore(DefinitionStore store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @BeforeEach
    final void setUpStore() {
        store = createStore(executors);
    }

    @AfterEach
    final void tearDownStore() throws Exception {
        destroyStore(store);
    }

    @Nested
    @DisplayName("Invariant 1: a definition is created once and changed only on its current version")
    public class Definitions {

        @Test
        @DisplayName("a created definition is stored at version 1 with its timestamps")
        public final void aCreatedDefinitionIsStoredAtVersionOne() {
            ActionDefinition definition = webhook("d1", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/1");

            Versioned<ActionDefinition> created = store.createDefinition(definition);

            assertThat(created.value()).isEqualTo(definition);
            assertThat(created.version()).isEqualTo(1);
            assertThat(created.updatedAt()).isEqualTo(created.createdAt());
            assertThat(store.findDefinition(id("d1"))).contains(created);
        }

        @Test
        @DisplayName("definitions are found by level and target and by id, disabled ones included")
        public final void definitionsAreFoundByLevelTargetAndId() {
            ActionDefinition onCheckout = webhook("c", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/c");
            ActionDefinition disabled = webhook("c-off", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/off")
                    .withEnabled(false);
            ActionDefinition onOffer = webhook("o", ActionLevel.OFFER, "offer-a", "https://crm.example/o");
            ActionDefinition onProduct = webhook("p", ActionLevel.PRODUCT, "product-a", "https://crm.example/p");
            ActionDefinition otherCheckout =
                    webhook("c2", ActionLevel.CHECKOUT, "checkout-b", "https://crm.example/c2");
            for (ActionDefinition d : List.of(onCheckout, disabled, onOffer, onProduct, otherCheckout)) {
                store.createDefinition(d);
            }

            assertThat(store.forCheckout("checkout-a")).containsExactlyInAnyOrder(onCheckout, disabled);
            assertThat(store.forOffer("offer-a")).containsExactly(onOffer);
            assertThat(store.forProduct("product-a")).containsExactly(onProduct);
            assertThat(store.forProduct("checkout-a"))
                    .as("the level counts, not only the id")
                    .isEmpty();
            assertThat(store.forCheckout("checkout-none")).isEmpty();
            assertThat(store.byId(id("o"))).contains(onOffer);
            assertThat(store.byId(id("missing"))).isEmpty();
        }

        @Test
        @DisplayName("the config JSON, name and retry policy come back exactly as saved")
        public final void theConfigNameAndRetryPolicyRoundTrip() {
            ActionDefinition definition = ActionDefinition.builder(WEBHOOK)
                    .id(id("rt"))
                    .name("Ääkköset & \"quotes\" <b>")
                    .offer("offer-ä")
                    .configJson("{\"url\":\"https://crm.example/ä?x=1&y=2\",\"secret\":\"s\\\"e\\ncret 🎓\"}")
                    .retryPolicy(RetryPolicy.exponential(Duration.ofSeconds(5), Duration.ofMinutes(10), 7))
                    .build();

            store.createDefinition(definition);

            assertThat(store.byId(id("rt"))).contains(definition);
            assertThat(store.forOffer("offer-ä")).containsExactly(definition);
            assertThat(store.findDefinition(id("rt")).orElseThrow().value()).isEqualTo(definition);
        }

        @Test
        @DisplayName("creating an id that exists is a conflict and keeps the stored definition")
        public final void creatingAnExistingIdIsAConflict() {
            ActionDefinition first = webhook("dup", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/first");
            store.createDefinition(first);

            assertThatThrownBy(() -> store.createDefinition(
                            webhook("dup", ActionLevel.OFFER, "offer-a", "https://crm.example/second")))
                    .isInstanceOf(ConflictException.class)
                    .isNotInstanceOf(VersionConflictException.class);

            assertThat(store.findDefinition(id("dup")).orElseThrow().value()).isEqualTo(first);
            assertThat(store.forOffer("offer-a")).isEmpty();
        }

        @Test
        @DisplayName("an update on the current version replaces the definition, counts the version up and is read back")
        public final void anUpdateOnTheCurrentVersionReplacesIt() {
            Versioned<ActionDefinition> created =
                    store.createDefinition(webhook("u", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/v1"));
            assertThat(store.forCheckout("checkout-a")).hasSize(1); // a cached store has now read it
            ActionDefinition edited = webhook("u", ActionLevel.OFFER, "offer-a", "https://crm.example/v2");

            Versioned<ActionDefinition> updated = store.updateDefinition(edited, 1);

            assertThat(updated.value()).isEqualTo(edited);
            assertThat(updated.version()).isEqualTo(2);
            assertThat(updated.createdAt()).isEqualTo(created.createdAt());
            assertThat(updated.updatedAt()).isAfterOrEqualTo(created.createdAt());
            assertThat(store.findDefinition(id("u"))).contains(updated);
            assertThat(store.byId(id("u"))).as("read your own write").contains(edited);
            assertThat(store.forCheckout("checkout-a")).isEmpty();
            assertThat(store.forOffer("offer-a")).containsExactly(edited);
            assertThat(store.updateDefinition(edited.withEnabled(false), 2).version())
                    .isEqualTo(3);
        }

        @Test
        @DisplayName("an edit based on a stale version is a version conflict and changes nothing")
        public final void anEditBasedOnAStaleVersionIsAConflict() {
            store.createDefinition(webhook("s", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/v1"));
            Versioned<ActionDefinition> second = store.updateDefinition(
                    webhook("s", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/v2"), 1);

            assertThatThrownBy(() -> store.updateDefinition(
                            webhook("s", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/stale"), 1))
                    .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                        assertThat(e.id()).isEqualTo(id("s"));
                        assertThat(e.expectedVersion()).isEqualTo(1);
                        assertThat(e.currentVersion()).isEqualTo(2);
                    });
            assertThatThrownBy(() -> store.deleteDefinition(id("s"), 1)).isInstanceOf(VersionConflictException.class);
            assertThatThrownBy(() -> store.updateDefinition(
                            webhook("s", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/ahead"), 3))
                    .isInstanceOf(VersionConflictException.class);

            assertThat(store.findDefinition(id("s"))).contains(second);
            assertThat(store.forCheckout("checkout-a")).containsExactly(second.value());
        }

        @Test
        @DisplayName("two editors racing on one definition: exactly one wins, the others get a version conflict")
        public final void twoEditorsRacingOnOneDefinitionNeverOverwriteEachOther() throws Exception {
            store.createDefinition(webhook("race", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/v1"));

            List<Object> outcomes = race(i -> {
                try {
                    return store.updateDefinition(
                            webhook("race", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/editor-" + i), 1);
                } catch (VersionConflictException e) {
                    return e;
                }
            });

            List<Object> winners = outcomes.stream()
                    .filter(o -> o instanceof Versioned<?>)
                    .<Object>map(o -> ((Versioned<?>) o).value())
                    .toList();
            assertThat(winners).hasSize(1);
            assertThat(outcomes.stream().filter(o -> o instanceof VersionConflictException))
                    .hasSize(RACERS - 1);
            Versioned<ActionDefinition> stored =
                    store.findDefinition(id("race")).orElseThrow();
            assertThat(stored.version()).isEqualTo(2);
            assertThat((Object) stored.value()).isEqualTo(winners.get(0));
            assertThat(store.forCheckout("checkout-a")).containsExactly(stored.value());
        }

        @Test
        @DisplayName("concurrent creates of one id store it once; the others get a conflict")
        public final void concurrentCreatesOfOneIdStoreItOnce() throws Exception {
            List<Object> outcomes = race(i -> {
                try {
                    return store.createDefinition(
                            webhook("twin", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/" + i));
                } catch (ConflictException e) {
                    return e;
                }
            });

            assertThat(outcomes.stream().filter(o -> o instanceof Versioned<?>)).hasSize(1);
            assertThat(outcomes.stream().filter(o -> o instanceof ConflictException))
                    .hasSize(RACERS - 1);
            assertThat(store.forCheckout("checkout-a")).hasSize(1);
            assertThat(store.findDefinition(id("twin")).orElseThrow().version()).isEqualTo(1);
        }

        @Test
        @DisplayName("updating or deleting a definition that does not exist is not found")
        public final void updatingOrDeletingAMissingDefinitionIsNotFound() {
            assertThatThrownBy(() -> store.updateDefinition(
                            webhook("ghost", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/"), 1))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.deleteDefinition(id("ghost"), 1)).isInstanceOf(NotFoundException.class);
            assertThat(store.findDefinition(id("ghost"))).isEmpty();
            assertThat(store.forCheckout("checkout-a")).isEmpty();
        }

        @Test
        @DisplayName("a deleted definition is gone from every read")
        public final void aDeletedDefinitionIsGone() {
            store.createDefinition(webhook("del", ActionLevel.PRODUCT, "product-a", "https://crm.example/"));
            assertThat(store.forProduct("product-a")).hasSize(1);

            store.deleteDefinition(id("del"), 1);

            assertThat(store.findDefinition(id("del"))).isEmpty();
            assertThat(store.byId(id("del"))).isEmpty();
            assertThat(store.forProduct("product-a")).isEmpty();
            assertThat(store.definitions(DefinitionQuery.all()).items()).isEmpty();
            assertThat(store.createDefinition(webhook("del", ActionLevel.PRODUCT, "product-a", "https://crm.example/"))
                            .version())
                    .as("the id can be used again")
                    .isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("Invariant 2: an invalid definition is refused, naming every bad field, and nothing is stored")
    public class Validation {

        @Test
        @DisplayName("an invalid config is refused naming every bad field, and nothing is stored")
        public final void anInvalidConfigIsRefusedNamingTheFields() {
            ActionDefinition bad = definition("bad", WEBHOOK, ActionLevel.CHECKOUT, "checkout-a", "http://plain", "");

            assertThatThrownBy(() -> store.createDefinition(bad))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactlyInAnyOrder("config.url", "config.secret"));
            ActionDefinition malformed = ActionDefinition.builder(WEBHOOK)
                    .id(id("malformed"))
                    .checkout("checkout-a")
                    .configJson("{\"url\": [1, 2]")
                    .build();
            assertThatThrownBy(() -> store.createDefinition(malformed))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .allMatch(f -> f.startsWith("config")));

            assertThat(store.findDefinition(id("bad"))).isEmpty();
            assertThat(store.findDefinition(id("malformed"))).isEmpty();
            assertThat(store.forCheckout("checkout-a")).isEmpty();
        }

        @Test
        @DisplayName("an unknown action type is refused on type")
        public final void anUnknownTypeIsRefused() {
            ActionDefinition unknown = definition(
                    "unknown", "no-such-type", ActionLevel.CHECKOUT, "checkout-a", "https://x.example/", "s");

            assertThatThrownBy(() -> store.createDefinition(unknown))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("type"));
            assertThat(store.findDefinition(id("unknown"))).isEmpty();
        }

        @Test
        @DisplayName("a level the executor does not allow is refused on level")
        public final void aLevelTheExecutorDoesNotAllowIsRefused() {
            ActionDefinition onProduct =
                    definition("receipt-p", RECEIPT, ActionLevel.PRODUCT, "product-a", "https://x.example/", "s");

            assertThatThrownBy(() -> store.createDefinition(onProduct))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("level"));
            assertThat(store.forProduct("product-a")).isEmpty();
        }

        @Test
        @DisplayName("an invalid update is refused and the stored version stays")
        public final void anInvalidUpdateKeepsTheStoredVersion() {
            Versioned<ActionDefinition> created =
                    store.createDefinition(webhook("keep", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/"));

            assertThatThrownBy(() -> store.updateDefinition(
                            definition("keep", WEBHOOK, ActionLevel.CHECKOUT, "checkout-a", "ftp://nope", "s"), 1))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("config.url"));
            assertThatThrownBy(() -> store.updateDefinition(
                            definition(
                                    "keep", POSTBACK, ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/", "s"),
                            1))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("type"));

            assertThat(store.findDefinition(id("keep"))).contains(created);
        }

        @Test
        @DisplayName("ids, names and target ids beyond the limits are refused naming the field")
        public final void valuesBeyondTheLimitsAreRefused() {
            ActionDefinition tooLong = ActionDefinition.builder(WEBHOOK)
                    .id(id("x".repeat(256)))
                    .name("n".repeat(201))
                    .checkout("c".repeat(256))
                    .config(new KitConfig("https://crm.example/", "s"))
                    .build();

            assertThatThrownBy(() -> store.createDefinition(tooLong))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactlyInAnyOrder("id", "name", "targetId"));
            ActionDefinition longest = ActionDefinition.builder(WEBHOOK)
                    .id(id("y".repeat(255 - id("").length())))
                    .name("n".repeat(200))
                    .checkout("c".repeat(255))
                    .config(new KitConfig("https://crm.example/", "s"))
                    .build();
            store.createDefinition(longest);
            assertThat(store.forCheckout("c".repeat(255))).containsExactly(longest);
        }
    }

    @Nested
    @DisplayName("Invariant 3: listing pages through every definition once, in id order")
    public class Listing {

        @Test
        @DisplayName("listing pages through one target in id order, without gaps or repeats, filtered by type")
        public final void listingPagesThroughDefinitionsInIdOrder() {
            List<String> onA = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                String id = "list-" + (char) ('g' - i);
                store.createDefinition(webhook(id, ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/" + i));
                onA.add(id(id));
            }
            store.createDefinition(
                    definition("list-pb", POSTBACK, ActionLevel.CHECKOUT, "checkout-a", "https://pb.example/", "s"));
            store.createDefinition(webhook("list-b1", ActionLevel.CHECKOUT, "checkout-b", "https://crm.example/b"));
            store.createDefinition(webhook("list-o1", ActionLevel.OFFER, "checkout-a", "https://crm.example/o"));
            onA.sort(null);

            DefinitionQuery query = DefinitionQuery.on(ActionLevel.CHECKOUT, "checkout-a")
                    .type(WEBHOOK)
                    .limit(3);
            List<String> seen = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            String cursor = null;
            do {
                Page<Versioned<ActionDefinition>> page = store.definitions(query.after(cursor));
                sizes.add(page.items().size());
                page.items().forEach(d -> seen.add(d.value().id()));
                cursor = page.nextCursor();
            } while (cursor != null);

            assertThat(seen).containsExactlyElementsOf(onA);
            assertThat(sizes).containsExactly(3, 3, 1);
            assertThat(store.definitions(DefinitionQuery.on(ActionLevel.CHECKOUT, "checkout-a"))
                            .items())
                    .hasSize(8);
            assertThat(store.definitions(DefinitionQuery.all().limit(1000)).items())
                    .extracting(d -> d.value().id())
                    .hasSize(10)
                    .isSorted();
            assertThat(store.definitions(DefinitionQuery.all().type(POSTBACK)).items())
                    .extracting(d -> d.value().id())
                    .containsExactly(id("list-pb"));
            Page<Versioned<ActionDefinition>> exact = store.definitions(
                    DefinitionQuery.on(ActionLevel.OFFER, "checkout-a").limit(1));
            assertThat(exact.items()).hasSize(1);
            assertThat(exact.hasMore()).as("no page after a full last page").isFalse();
        }
    }

    @Nested
    @DisplayName("Invariant 4: a new checkout gets its executors' definitions exactly once")
    public class NewCheckouts {

        @Test
        @DisplayName("a new checkout gets the executors' definitions disabled, once, and keeps the merchant's changes")
        public final void aNewCheckoutGetsItsDefinitionsOnce() {
            String checkout = id("checkout-new");

            List<Versioned<ActionDefinition>> added = store.checkoutCreated(checkout);

            assertThat(added).singleElement().satisfies(d -> {
                assertThat(d.value()).isEqualTo(ConfigurationKitExecutors.newCheckoutReceipt(checkout));
                assertThat(d.value().enabled()).isFalse();
                assertThat(d.version()).isEqualTo(1);
            });
            assertThat(store.forCheckout(checkout)).containsExactly(added.get(0).value());
            store.updateDefinition(added.get(0).value().withEnabled(true), 1);

            List<Versioned<ActionDefinition>> again = store.checkoutCreated(checkout);

            assertThat(again).singleElement().satisfies(d -> {
                assertThat(d.value().enabled()).as("the merchant enabled it").isTrue();
                assertThat(d.version()).isEqualTo(2);
            });
            assertThat(store.forCheckout(checkout)).hasSize(1);
        }

        @Test
        @DisplayName("concurrent calls for one new checkout add its definitions once")
        public final void concurrentNewCheckoutCallsAddTheDefinitionsOnce() throws Exception {
            String checkout = id("checkout-race");

            List<Object> outcomes = race(i -> store.checkoutCreated(checkout));

            assertThat(outcomes).allSatisfy(o -> assertThat((List<?>) o).hasSize(1));
            assertThat(store.forCheckout(checkout)).hasSize(1);
            assertThat(store.findDefinition(RECEIPT + "-" + checkout)
                            .orElseThrow()
                            .version())
                    .isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("Invariant 5: a subscription names existing definitions that take events")
    public class Subscriptions {

        @Test
        @DisplayName("a subscription is stored versioned and listed by its event type, enabled or not")
        public final void aSubscriptionIsStoredAndListedByEventType() {
            store.createDefinition(postback("pb-1"));
            store.createDefinition(webhook("wh-1", ActionLevel.CHECKOUT, "checkout-a", "https://crm.example/"));
            Subscription refunds = new Subscription(
                    id("refunds"),
                    ShopEventType.REFUND_APPLIED,
                    List.of(id("pb-1"), id("wh-1")),
                    EnumSet.of(EventSource.SHOP, EventSource.FUNNEL),
                    true);
            Subscription paused = new Subscription(
                    id("paused"),
                    ShopEventType.REFUND_APPLIED,
                    List.of(id("pb-1")),
                    EnumSet.of(EventSource.ADMIN),
                    false);

            Versioned<Subscription> created = store.createSubscription(refunds);
            store.createSubscription(paused);

            assertThat(created.version()).isEqualTo(1);
            assertThat(created.value()).isEqualTo(refunds);
            assertThat(store.findSubscription(id("refunds"))).contains(created);
            assertThat(store.subscriptions(ShopEventType.REFUND_APPLIED)).containsExactlyInAnyOrder(refunds, paused);
            assertThat(store.subscriptionsOf(ShopEventType.REFUND_APPLIED))
                    .extracting(Versioned::value)
                    .containsExactly(paused, refunds);
            assertThat(store.subscriptions(ShopEventType.ORDER_COMPLETED)).isEmpty();
            assertThatThrownBy(() -> store.createSubscription(refunds)).isInstanceOf(ConflictException.class);
        }

        @Test
        @DisplayName("a subscription naming a missing definition is refused on that entry, and nothing is stored")
        public final void aSubscriptionNamingAMissingDefinitionIsRefused() {
            store.createDefinition(postback("pb-2"));
            Subscription broken =
                    Subscription.of(id("broken"), ShopEventType.ORDER_COMPLETED, List.of(id("pb-2"), id("missing")));

            assertThatThrownBy(() -> store.createSubscription(broken))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("definitionIds[1]"));
            assertThat(store.findSubscription(id("broken"))).isEmpty();
            assertThat(store.subscriptions(ShopEventType.ORDER_COMPLETED)).isEmpty();
        }

        @Test
        @DisplayName("a subscription to an action that runs for paid orders only is refused (invariant 10)")
        public final void aSubscriptionOfAnOrderOnlyActionIsRefused() {
            store.createDefinition(
                    definition("receipt", RECEIPT, ActionLevel.CHECKOUT, "checkout-a", "https://x.example/", "s"));

            assertThatThrownBy(() -> store.createSubscription(
                            Subscription.of(id("wrong"), ShopEventType.REFUND_APPLIED, List.of(id("receipt")))))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("definitionIds[0]"));
            assertThat(store.subscriptions(ShopEventType.REFUND_APPLIED)).isEmpty();
        }

        @Test
        @DisplayName("a subscription is updated on its current version only, and deleted")
        public final void aSubscriptionIsUpdatedOnItsCurrentVersionAndDeleted() {
            store.createDefinition(postback("pb-3"));
            store.createDefinition(postback("pb-4"));
            store.createSubscription(
                    Subscription.of(id("sub"), ShopEventType.TRANSACTION_DECLINED, List.of(id("pb-3"))));
            Subscription edited = new Subscription(
                    id("sub"),
                    ShopEventType.TRANSACTION_DECLINED,
                    List.of(id("pb-4"), id("pb-3")),
                    EnumSet.of(EventSource.ADMIN),
                    true);

            Versioned<Subscription> updated = store.updateSubscription(edited, 1);

            assertThat(updated.version()).isEqualTo(2);
            assertThat(store.subscriptions(ShopEventType.TRANSACTION_DECLINED)).containsExactly(edited);
            assertThatThrownBy(() -> store.updateSubscription(edited, 1)).isInstanceOf(VersionConflictException.class);
            assertThatThrownBy(() -> store.updateSubscription(
                            Subscription.of(id("none"), ShopEventType.TRANSACTION_DECLINED, List.of(id("pb-3"))), 1))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> store.updateSubscription(
                            Subscription.of(id("sub"), ShopEventType.TRANSACTION_DECLINED, List.of(id("gone"))), 2))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> store.deleteSubscription(id("sub"), 1))
                    .isInstanceOf(VersionConflictException.class);

            store.deleteSubscription(id("sub"), 2);

            assertThat(store.findSubscription(id("sub"))).isEmpty();
            assertThat(store.subscriptions(ShopEventType.TRANSACTION_DECLINED)).isEmpty();
            assertThatThrownBy(() -> store.deleteSubscription(id("sub"), 2)).isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("a definition named by a subscription cannot be deleted until the subscription lets go of it")
        public final void aDefinitionNamedByASubscriptionCannotBeDeleted() {
            store.createDefinition(postback("pb-5"));
            store.createSubscription(Subscription.of(id("holds"), ShopEventType.REFUND_APPLIED, List.of(id("pb-5"))));

            assertThatThrownBy(() -> store.deleteDefinition(id("pb-5"), 1))
                    .isInstanceOf(ConflictException.class)
                    .isNotInstanceOf(VersionConflictException.class)
                    .hasMessageContaining(id("holds"));
            assertThat(store.byId(id("pb-5"))).isPresent();

            store.deleteSubscription(id("holds"), 1);
            store.deleteDefinition(id("pb-5"), 1);
            assertThat(store.byId(id("pb-5"))).isEmpty();
        }
    }

    @Nested
    @DisplayName("Invariant 6: event switches start on and are idempotent")
    public class Switches {

        @Test
        @DisplayName("every event is on until switched off; switching is idempotent and read back at once")
        public final void eventSwitchesStartOnAndAreIdempotent() {
            assertThat(store.eventEnabled(ShopEventType.REFUND_APPLIED)).isTrue();
            assertThat(store.eventSwitches())
                    .hasSize(ShopEventType.values().length)
                    .containsValue(true)
                    .doesNotContainValue(false);

            store.setEventEnabled(ShopEventType.REFUND_APPLIED, false);
            store.setEventEnabled(ShopEventType.REFUND_APPLIED, false);

            assertThat(store.eventEnabled(ShopEventType.REFUND_APPLIED)).isFalse();
            assertThat(store.eventEnabled(ShopEventType.ORDER_COMPLETED)).isTrue();
            Map<ShopEventType, Boolean> switches = store.eventSwitches();
            assertThat(switches.get(ShopEventType.REFUND_APPLIED)).isFalse();
            assertThat(switches.values().stream().filter(on -> !on)).hasSize(1);

            store.setEventEnabled(ShopEventType.REFUND_APPLIED, true);
            assertThat(store.eventEnabled(ShopEventType.REFUND_APPLIED)).isTrue();
        }
    }

    @Nested
    @DisplayName("Invariant 7: a pipeline uses the current definitions and keeps the runs of deleted ones")
    public class WithAPipeline {

        @Test
        @DisplayName("a pipeline on the store snapshots the current definitions, and an edit applies to the next order")
        public final void aPipelineUsesTheCurrentDefinitions() {
            store.createDefinition(webhook("pipe", ActionLevel.CHECKOUT, "checkout-1", "https://crm.example/v1"));
            store.createDefinition(webhook("pipe-off", ActionLevel.PRODUCT, "product-1", "https://crm.example/off")
                    .withEnabled(false));
            try (ActionPipeline pipeline = pipeline(ActionStateStore.inMemory(), false)) {
                List<ActionRun> first = pipeline.submit(
                                TestOrders.paidOrder(id("order-1")).build())
                        .runs();
                store.updateDefinition(
                        webhook("pipe", ActionLevel.CHECKOUT, "checkout-1", "https://crm.example/v2"), 1);
                List<ActionRun> second = pipeline.submit(
                                TestOrders.paidOrder(id("order-2")).build())
                        .runs();

                assertThat(first).singleElement().satisfies(r -> assertThat(r.configJson())
                        .contains("https://crm.example/v1"));
                assertThat(second).singleElement().satisfies(r -> assertThat(r.configJson())
                        .contains("https://crm.example/v2"));
            }
        }

        @Test
        @DisplayName(
                "runs of a deleted definition keep their snapshot and still run; 'use latest template' is not found")
        public final void runsOfADeletedDefinitionStillRunButCannotUseTheLatestTemplate() {
            store.createDefinition(webhook("doomed", ActionLevel.CHECKOUT, "checkout-1", "https://crm.example/snap"));
            ActionStateStore runs = ActionStateStore.inMemory();
            ActionRun pending;
            try (ActionPipeline submitOnly = pipeline(runs, false)) {
                pending = submitOnly
                        .submit(TestOrders.paidOrder(id("order-doomed")).build())
                        .runs()
                        .get(0);
            }
            store.deleteDefinition(id("doomed"), 1);

            try (ActionPipeline workers = pipeline(runs, true)) {
                ActionRun ran = awaitSucceeded(workers, pending.id());
                assertThat(ran.status()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(ran.result()).isEqualTo("sent to https://crm.example/snap");

                assertThatThrownBy(() -> workers.rerun(
                                pending.id(),
                                RerunOptions.defaults()
                                        .acknowledgeSucceeded(true)
                                        .useLatestTemplate(true)))
                        .isInstanceOf(NotFoundException.class)
                        .hasMessageContaining(id("doomed"));
                assertThat(workers.run(pending.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
                workers.rerun(pending.id(), RerunOptions.defaults().acknowledgeSucceeded(true));
                assertThat(awaitSucceeded(workers, pending.id()).rerunCount()).isEqualTo(1);
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** An id unique to this test instance, so stores sharing tables across tests never collide. */
    protected final String id(String name) {
        return prefix + name;
    }

    private ActionPipeline pipeline(ActionStateStore runs, boolean workers) {
        return ActionPipeline.builder()
                .store(runs)
                .definitions(store)
                .executors(executorList)
                .startWorkers(workers)
                .pollInterval(Duration.ofMillis(20))
                .build();
    }

    private ActionDefinition webhook(String name, ActionLevel level, String target, String url) {
        return definition(name, WEBHOOK, level, target, url, "whsec-" + name);
    }

    private ActionDefinition postback(String name) {
        return definition(name, POSTBACK, ActionLevel.CHECKOUT, "checkout-a", "https://pb.example/" + name, "s");
    }

    private ActionDefinition definition(
            String name, String type, ActionLevel level, String target, String url, String secret) {
        return ActionDefinition.builder(type)
                .id(id(name))
                .name("Kit " + name)
                .on(level, target)
                .config(new KitConfig(url, secret))
                .build();
    }

    /** Polls until the run has SUCCEEDED; fails after a deadline far above what it needs. */
    private static ActionRun awaitSucceeded(ActionPipeline pipeline, String runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            ActionRun run = pipeline.run(runId).orElseThrow();
            if (run.status() == RunStatus.SUCCEEDED) {
                return run;
            }
            assertThat(System.nanoTime())
                    .as("run %s still %s after 30 s", runId, run.status())
                    .isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Runs {@code work} on {@value #RACERS} threads released at once; returns what each returned. */
    private static List<Object> race(Function<Integer, Object> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            CountDownLatch ready = new CountDownLatch(RACERS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                int index = i;
                Callable<Object> task = () -> {
                    ready.countDown();
                    go.await();
                    return work.apply(index);
                };
                futures.add(pool.submit(task));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : futures) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
