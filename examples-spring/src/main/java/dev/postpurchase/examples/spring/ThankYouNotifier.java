package dev.postpurchase.examples.spring;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The example's one action: thanks the buyer (here into a list; a real one sends a message). */
public final class ThankYouNotifier implements ActionExecutor<ThankYouNotifier.Config> {
    /** The action type of this executor. */
    public static final String TYPE = "thank-you";

    /** What to say. */
    public record Config(String greeting) {}

    private final List<String> sent = new CopyOnWriteArrayList<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public void validate(Config config) {
        if (config.greeting() == null || config.greeting().isBlank()) {
            throw new ValidationException("greeting", "is required");
        }
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<Config> context) {
        String message = context.config().greeting() + ", "
                + context.requireOrder().customer().email() + " (order "
                + context.requireOrder().id() + ")";
        sent.add(message);
        return ExecutionOutcome.succeeded(message);
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return RetryPolicy.exponential(Duration.ofSeconds(5), Duration.ofMinutes(10), 5);
    }

    /** What was sent so far. */
    public List<String> sent() {
        return List.copyOf(sent);
    }
}
