package dev.postpurchase.examples.standins;

import dev.postpurchase.examples.standins.StandInServer.Request;
import dev.postpurchase.examples.standins.StandInServer.Response;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A licence server: answers each fulfillment request with a fresh licence key as plain text. */
public final class LicenceServerStandIn implements StandInServer.Handler {
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> keys = new CopyOnWriteArrayList<>();

    @Override
    public Response handle(Request request) {
        String key = String.format(
                "LIC-%04d-PPQS-%04d",
                issued.incrementAndGet(), Math.abs(request.query().hashCode()) % 10000);
        keys.add(key);
        return Response.text(200, key);
    }

    /** Every key issued, oldest first. */
    public List<String> keys() {
        return List.copyOf(keys);
    }
}
