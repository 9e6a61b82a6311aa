package dev.postpurchase.webhook.fulfillment;

import dev.postpurchase.core.spi.DeliveryException;
import dev.postpurchase.core.spi.FulfillmentDelivery;
import dev.postpurchase.core.spi.FulfillmentMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A {@link FulfillmentDelivery} that records every message it accepts and can be told to fail the next calls; the
 * email module proves real delivery, this fake proves the hand-over.
 */
final class RecordingFulfillmentDelivery implements FulfillmentDelivery {
    private final List<FulfillmentMessage> delivered = new ArrayList<>();
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    private int calls;

    /** The next call throws {@code failure} instead of delivering. */
    synchronized RecordingFulfillmentDelivery failNext(RuntimeException failure) {
        failures.add(failure);
        return this;
    }

    synchronized RecordingFulfillmentDelivery failNextRetryably(String message) {
        return failNext(new DeliveryException(message, true));
    }

    @Override
    public synchronized void deliver(FulfillmentMessage message) {
        calls++;
        RuntimeException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
        delivered.add(message);
    }

    synchronized List<FulfillmentMessage> delivered() {
        return List.copyOf(delivered);
    }

    synchronized int calls() {
        return calls;
    }
}
