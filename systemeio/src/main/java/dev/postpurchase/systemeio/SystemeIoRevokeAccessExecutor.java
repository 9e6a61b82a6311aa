package dev.postpurchase.systemeio;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.event.Contact;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.DeliveryException;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.RequiredIntegration;
import dev.postpurchase.systemeio.internal.TagMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Revoke Systeme.io Access" ({@value #TYPE}): on a refund, removes the action's tags from the customer's contact.
 * Run it through a core subscription to {@code REFUND_APPLIED}; the event carries the refunded order, whose
 * customer email identifies the contact (an event without order falls back to its contact's email).
 *
 * <p>Only tags the contact carries are removed (matched by name: exactly, else ignoring case), so a re-run removes
 * nothing twice; a 404 on removal counts as removed. No contact for the email, or none of the tags on it, is a
 * success with nothing to do. A refund of an order the config's {@code level}/{@code targetId} does not cover is
 * skipped, and so is a run for a paid order (the definition's product, offer or checkout also matches orders: a
 * revoke acts on events only). Availability, rate limits and errors behave as for {@link SystemeIoGrantAccessExecutor}. The result is a
 * JSON {@link Result}. Idempotent and thread-safe.
 */
public final class SystemeIoRevokeAccessExecutor implements ActionExecutor<SystemeIoRevokeAccessConfig> {
    /** The action type. */
    public static final String TYPE = "systemeio-revoke-access";

    private static final Logger LOG = LoggerFactory.getLogger(SystemeIoRevokeAccessExecutor.class);

    private final SystemeIoIntegration integration;

    public SystemeIoRevokeAccessExecutor(SystemeIoIntegration integration) {
        this.integration = Objects.requireNonNull(integration, "integration");
    }

    /**
     * What one run did.
     *
     * @param contactId the Systeme.io contact, or null when none exists for the email
     * @param tagsRemoved the tags removed by this run
     * @param tagsNotPresent the configured tags the contact did not carry
     */
    public record Result(@Nullable Long contactId, List<String> tagsRemoved, List<String> tagsNotPresent) {
        public Result {
            tagsRemoved = List.copyOf(tagsRemoved);
            tagsNotPresent = List.copyOf(tagsNotPresent);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<SystemeIoRevokeAccessConfig> configType() {
        return SystemeIoRevokeAccessConfig.class;
    }

    @Override
    public void validate(SystemeIoRevokeAccessConfig config) {
        config.validate();
    }

    /** Events only (a refund): the pipeline never creates this action's run for a paid order. */
    @Override
    public Set<TriggerKind> triggerKinds() {
        return EnumSet.of(TriggerKind.EVENT);
    }

    /** Systeme.io with an API key: the pipeline refuses definitions and fails attempts without it. */
    @Override
    public RequiredIntegration integration() {
        return integration.required();
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    /** Exponential from 30 s to 30 min, 15 retries; a rate limit's wait is always honoured. */
    @Override
    public RetryPolicy defaultRetryPolicy() {
        return RetryPolicy.exponential(Duration.ofSeconds(30), Duration.ofMinutes(30), 15);
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<SystemeIoRevokeAccessConfig> context) {
        Secret apiKey = integration.enabledApiKey().orElseThrow();
        SystemeIoRevokeAccessConfig config = context.config();
        Order order = context.order();
        if (order != null && !config.appliesTo(order)) {
            return ExecutionOutcome.skipped(
                    "order " + order.id() + " has no " + describeScope(config) + "; nothing to revoke");
        }
        if (order == null && config.level() != null) {
            return ExecutionOutcome.permanent("the " + context.run().triggerKey()
                    + " trigger carries no order, so it cannot be matched to " + describeScope(config));
        }
        String email = emailOf(order, context.event());
        if (email == null) {
            return ExecutionOutcome.permanent(
                    "the " + context.run().triggerKey() + " trigger carries neither an order nor a contact email");
        }
        List<String> removed = new ArrayList<>();
        List<String> notPresent = new ArrayList<>();
        Long contactId = null;
        try {
            SystemeIoClient client = integration.client(apiKey);
            Optional<SystemeIoContact> found = client.findContactByEmail(email);
            if (found.isEmpty()) {
                return ExecutionOutcome.succeeded(
                        PostpurchaseJson.write(new Result(null, List.of(), config.tagNames())));
            }
            SystemeIoContact contact = found.get();
            contactId = contact.id();
            for (String name : config.tagNames()) {
                Optional<SystemeIoTag> tag = TagMatcher.match(contact.tags(), name);
                if (tag.isEmpty()) {
                    notPresent.add(name);
                    continue;
                }
                client.removeTagFromContact(contact.id(), tag.get().id());
                removed.add(name);
            }
            LOG.info(
                    "Systeme.io access revoked for run {}: contact {}, {} tag(s) removed",
                    context.idempotencyKey(),
                    contact.id(),
                    removed.size());
            return ExecutionOutcome.succeeded(PostpurchaseJson.write(new Result(contactId, removed, notPresent)));
        } catch (DeliveryException e) {
            return ExecutionOutcome.failed(e, "", PostpurchaseJson.write(new Result(contactId, removed, notPresent)));
        }
    }

    private static @Nullable String emailOf(@Nullable Order order, @Nullable ShopEvent event) {
        if (order != null) {
            return order.customer().email();
        }
        Contact contact = event == null ? null : event.contact();
        return contact == null || contact.email() == null || contact.email().isBlank() ? null : contact.email();
    }

    private static String describeScope(SystemeIoRevokeAccessConfig config) {
        return switch (Objects.requireNonNull(config.level())) {
            case PRODUCT -> "product " + config.targetId();
            case OFFER -> "offer " + config.targetId();
            case CHECKOUT -> "checkout " + config.targetId();
        };
    }

    @Override
    public String toString() {
        return "SystemeIoRevokeAccessExecutor[" + integration + "]";
    }
}
