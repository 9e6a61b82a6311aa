package dev.postpurchase.admin;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A test action: succeeds with a result full of markup (which the page must show as text) when its config says OK,
 * fails for good with status 500 when it says FAIL. Its config has a secret, an enum, an optional field and a list.
 */
final class HookExecutor implements ActionExecutor<HookExecutor.HookConfig> {
    static final String TYPE = "hook";
    static final String RESULT = "<b>licence</b> KEY-123 & <img src=x onerror=alert(1)>\n  second line";

    enum Outcome {
        OK,
        FAIL
    }

    record HookConfig(String url, Secret token, Outcome outcome, @Nullable String note, List<String> tags) {
        HookConfig {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<HookConfig> configType() {
        return HookConfig.class;
    }

    @Override
    public void validate(HookConfig config) {
        if (config.url() == null || !config.url().startsWith("https://")) {
            throw new ValidationException("url", "must be an https:// URL");
        }
        if (config.token() == null || config.token().isBlank()) {
            throw new ValidationException("token", "is required");
        }
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<HookConfig> context) {
        if (context.config().outcome() == Outcome.FAIL) {
            return ExecutionOutcome.permanent("the receiver answered 500 <html>oops</html>", 500);
        }
        return ExecutionOutcome.succeeded(RESULT);
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return RetryPolicy.none();
    }
}
