package dev.postpurchase.examples.readme;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

// README:start custom-executor
/** Posts "new order" to a chat channel (here: into a list, to keep the sample self-contained). */
public final class SlackNotifier implements ActionExecutor<SlackNotifier.Config> {
    /** The typed config, stored as JSON in the definition and snapshotted into each run. */
    public record Config(String channel) {}

    private final List<String> posted = new CopyOnWriteArrayList<>();

    @Override
    public String type() {
        return "slack";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public void validate(Config config) { // called when a definition is saved and when an order is submitted
        if (config.channel() == null || !config.channel().startsWith("#")) {
            throw new ValidationException("channel", "must start with #");
        }
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<Config> context) {
        String text = "New order " + context.requireOrder().id() + " [" + context.idempotencyKey() + "]";
        posted.add(context.config().channel() + " " + text);
        return ExecutionOutcome.succeeded(text);
    }

    @Override
    public boolean idempotent() { // true only if a repeated call has no extra effect
        return false;
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return RetryPolicy.exponential(Duration.ofSeconds(5), Duration.ofMinutes(30), 8);
    }

    public List<String> posted() {
        return List.copyOf(posted);
    }
}
// README:end custom-executor
