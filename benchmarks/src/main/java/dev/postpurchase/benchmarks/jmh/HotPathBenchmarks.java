package dev.postpurchase.benchmarks.jmh;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.email.EmailMessage;
import dev.postpurchase.email.EmailReceiptExecutor;
import dev.postpurchase.email.ReceiptEmailConfig;
import dev.postpurchase.email.SentEmail;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.OrderWebhookPayload;
import dev.postpurchase.webhook.StandardWebhookSigner;
import dev.postpurchase.webhook.WebhookSecret;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Microbenchmarks of the per-order hot paths, single-threaded, average time per operation. The order is the
 * two-line EUR order of {@link TestOrders#paidOrder}.
 *
 * <ul>
 *   <li>{@link #signWebhook}: Standard Webhooks HMAC-SHA256 signature headers over the order payload;
 *   <li>{@link #serialiseWebhookPayload}: the versioned {@code order.paid} payload as bytes;
 *   <li>{@link #serialiseOrderForStore}: the order as the JSON the store keeps (what {@code submit} writes);
 *   <li>{@link #buildAndValidateOrder}: building an order, which validates it (totals, formats, items);
 *   <li>{@link #parseAndValidateOrder}: reading the stored JSON back into a validated order (what a worker does
 *       when the order is not cached);
 *   <li>{@link #renderReceipt}: the built-in receipt email (HTML and text) of the email module, not sent.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HotPathBenchmarks {
    private Order order = TestOrders.paidOrder("bench-1").build();
    private String orderJson = "";
    private byte[] payload = new byte[0];
    private StandardWebhookSigner signer = StandardWebhookSigner.of(WebhookSecret.generate());
    private EmailReceiptExecutor receipts =
            EmailReceiptExecutor.builder().transport(HotPathBenchmarks::refuse).build();
    private final ReceiptEmailConfig receiptConfig = ReceiptEmailConfig.defaults();
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    /** Prepares the order, its JSON, the payload bytes, a signer and a receipt executor. */
    @Setup
    public void setUp() {
        order = TestOrders.paidOrder("bench-1").build();
        orderJson = PostpurchaseJson.write(order);
        payload = OrderWebhookPayload.orderPaid(order, "msg_bench-1").toBytes();
        signer = StandardWebhookSigner.of(WebhookSecret.generate());
        receipts = EmailReceiptExecutor.builder()
                .transport(HotPathBenchmarks::refuse)
                .build();
    }

    private static SentEmail refuse(EmailMessage message) {
        throw new IllegalStateException("the benchmark renders receipts, it never sends them");
    }

    @Benchmark
    public Map<String, String> signWebhook() {
        return signer.headers("msg_bench-1", 1_767_225_600L, payload);
    }

    @Benchmark
    public byte[] serialiseWebhookPayload() {
        return OrderWebhookPayload.orderPaid(order, "msg_bench-1").toBytes();
    }

    @Benchmark
    public String serialiseOrderForStore() {
        return PostpurchaseJson.write(order);
    }

    @Benchmark
    public Order buildAndValidateOrder() {
        return TestOrders.paidOrder("bench-1").build();
    }

    @Benchmark
    public Order parseAndValidateOrder() {
        return PostpurchaseJson.read(orderJson, Order.class, "order");
    }

    @Benchmark
    public EmailMessage renderReceipt() {
        return receipts.render(order, receiptConfig, "run-bench-1", now);
    }
}
