package dev.postpurchase.kajabi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KajabiPurchaseCollectorTest {
    private final MutableClock clock = MutableClock.atDefaultStart();
    private final KajabiPurchaseCollector collector = KajabiPurchaseCollector.builder()
            .clock(clock)
            .maxWait(Duration.ofMinutes(5))
            .build();

    @Test
    void handsOutTheOrderOnlyWhenTheLastOfferOfTheTransactionArrives() {
        assertThat(collector.add(Fixtures.purchase(2))).isEmpty();
        assertThat(collector.add(Fixtures.purchase(1))).isEmpty();
        assertThat(collector.pendingTransactions()).isEqualTo(1);

        Optional<Order> order = collector.add(Fixtures.purchase(3));

        assertThat(order).isPresent();
        assertThat(order.get().id()).isEqualTo("kajabi-55555");
        assertThat(order.get().items()).extracting(LineItem::offerId).containsExactly("11111", "22222", "33333");
        assertThat(order.get().totals().total()).isEqualTo(9000);
        assertThat(collector.pendingTransactions()).isZero();
    }

    @Test
    void redeliveredEventsOfAHandedOutTransactionAreIgnored() {
        collector.add(Fixtures.purchase(1));
        collector.add(Fixtures.purchase(2));
        assertThat(collector.add(Fixtures.purchase(3))).isPresent();

        assertThat(collector.add(Fixtures.purchase(1))).isEmpty();
        assertThat(collector.add(Fixtures.purchase(3))).isEmpty();
        assertThat(collector.pendingTransactions()).isZero();
    }

    @Test
    void aDuplicateEventWhileWaitingDoesNotCompleteTheTransaction() {
        collector.add(Fixtures.purchase(1));
        collector.add(Fixtures.purchase(2));

        assertThat(collector.add(Fixtures.purchase(2))).isEmpty();
        assertThat(collector.add(Fixtures.purchase(1))).isEmpty();
        assertThat(collector.add(Fixtures.purchase(3))).isPresent();
    }

    @Test
    void anEventWithoutBumpsIsAnOrderAtOnce() {
        KajabiPurchaseCreated single =
                KajabiWebhooks.parsePurchaseCreated(Fixtures.read("purchase-created-all-fields.json"));

        assertThat(collector.add(single)).map(Order::id).contains("kajabi-66666");
    }

    @Test
    void anIncompleteTransactionExpiresAfterMaxWaitAsAnOrderOfTheOffersThatArrived() {
        collector.add(Fixtures.purchase(1));
        collector.add(Fixtures.purchase(3));
        clock.advance(Duration.ofMinutes(4));
        assertThat(collector.expire()).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        List<Order> expired = collector.expire();

        assertThat(expired).hasSize(1);
        assertThat(expired.get(0).id()).isEqualTo("kajabi-55555");
        assertThat(expired.get(0).totals().total()).isEqualTo(7000);
        assertThat(collector.pendingTransactions()).isZero();
        assertThat(collector.add(Fixtures.purchase(2))).isEmpty();
        assertThat(collector.pendingTransactions()).isZero();
    }

    @Test
    void theOldestWaitingTransactionIsEvictedWhenTooManyWaitAndHandedOutByExpire() {
        KajabiPurchaseCollector small =
                KajabiPurchaseCollector.builder().clock(clock).maxPending(1).build();
        String other = Fixtures.read("purchase-created-1-primary.json")
                .replace("55555", "55556")
                .replace("10001", "20001");
        small.add(Fixtures.purchase(1));

        assertThat(small.add(KajabiWebhooks.parsePurchaseCreated(other))).isEmpty();

        assertThat(small.pendingTransactions()).isEqualTo(1);
        assertThat(small.expire()).extracting(Order::id).containsExactly("kajabi-55555");
    }

    @Test
    void anEventWithoutAnyIdIsRefused() {
        String json = "{\"offer\": {\"id\": 1}, \"member\": {\"email\": \"a@example.com\"}}";

        assertThatThrownBy(() -> collector.add(KajabiWebhooks.parsePurchaseCreated(json)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("transaction.id");
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> KajabiPurchaseCollector.builder()
                        .maxWait(Duration.ZERO)
                        .maxPending(0)
                        .build())
                .isInstanceOf(ValidationException.class)
                .satisfies(
                        e -> assertThat(((ValidationException) e).fields()).containsExactly("maxWait", "maxPending"));
    }
}
