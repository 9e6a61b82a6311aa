package dev.postpurchase.systemeio;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.DeliveryException;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.RequiredIntegration;
import dev.postpurchase.systemeio.internal.TagDirectory;
import dev.postpurchase.systemeio.internal.TagMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Grant Systeme.io Access" ({@value #TYPE}): adds the customer as a Systeme.io contact and applies the action's
 * tags, each of which may start an automation that grants course access.
 *
 * <p>Available only while the Systeme.io integration is enabled with an API key: {@link #validate} throws {@link
 * dev.postpurchase.core.IntegrationNotEnabledException} otherwise, and an attempt made after the integration was
 * switched off fails permanently, saying so.
 *
 * <p>Each attempt: looks the customer's email up; creates the contact when absent (email, the API's locale for the
 * order's language when it has one, see {@link NewContact#localeOf}, and first name, surname and phone as fields),
 * and when the create is refused (422 or another 4xx: a race with another request, or rejected data) reads the
 * contact again; when it is still missing, a refusal naming only the locale is tried once more without the locale,
 * and any other refusal fails the run: the name and phone are never dropped; resolves the tag names to ids (cached per API key, missing tags created only
 * with {@code createMissingTags}, else a permanent failure naming them); then assigns only the tags the contact does
 * not carry yet, one call per tag, so a re-run never starts an automation twice. A failed assignment is checked by
 * re-reading the contact. Systeme.io takes no idempotency key; this check-before-act makes the executor {@link
 * #idempotent()}. Runs on the same contact are serialised within the process, so two orders of one customer at
 * the same moment cannot both assign a tag.
 *
 * <p>Rate limits (429, or the local throttle) are retried after the announced wait; 5xx and network errors by the
 * retry policy; a refused key, rejected data and missing tags fail permanently. The result is a JSON {@link Result}.
 * Thread-safe.
 */
public final class SystemeIoGrantAccessExecutor implements ActionExecutor<SystemeIoGrantAccessConfig> {
    /** The action type. */
    public static final String TYPE = "systemeio-grant-access";

    private static final Logger LOG = LoggerFactory.getLogger(SystemeIoGrantAccessExecutor.class);

    private final SystemeIoIntegration integration;

    public SystemeIoGrantAccessExecutor(SystemeIoIntegration integration) {
        this.integration = Objects.requireNonNull(integration, "integration");
    }

    /**
     * What one run did, recorded as the run's JSON result (and as the partial result of a retried attempt).
     *
     * @param contactId the Systeme.io contact, or null if the attempt stopped before it was known
     * @param contactCreated whether this run created the contact
     * @param tagsAdded the tags this attempt assigned
     * @param tagsAlreadyPresent the tags the contact already had, left alone
     * @param tagsCreated the tags this attempt created in Systeme.io ({@code createMissingTags})
     * @param note anything worth telling the merchant, for example optional data Systeme.io refused
     */
    public record Result(
            @Nullable Long contactId,
            boolean contactCreated,
            List<String> tagsAdded,
            List<String> tagsAlreadyPresent,
            List<String> tagsCreated,
            @Nullable String note) {
        public Result {
            tagsAdded = List.copyOf(tagsAdded);
            tagsAlreadyPresent = List.copyOf(tagsAlreadyPresent);
            tagsCreated = List.copyOf(tagsCreated);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<SystemeIoGrantAccessConfig> configType() {
        return SystemeIoGrantAccessConfig.class;
    }

    @Override
    public void validate(SystemeIoGrantAccessConfig config) {
        config.validate();
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
    /** Paid orders only: granting access on a refund or a cancellation would be the opposite of what they mean. */
    @Override
    public Set<TriggerKind> triggerKinds() {
        return EnumSet.of(TriggerKind.ORDER);
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return RetryPolicy.exponential(Duration.ofSeconds(30), Duration.ofMinutes(30), 15);
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<SystemeIoGrantAccessConfig> context) {
        Secret apiKey = integration.enabledApiKey().orElseThrow();
        SystemeIoGrantAccessConfig config = context.config();
        Order order = context.requireOrder();
        Progress progress = new Progress();
        try {
            SystemeIoClient client = integration.client(apiKey);
            return integration.contactLocks().withLock(apiKey, order.customer().email(), () -> {
                SystemeIoContact contact = findOrCreate(client, order, progress);
                progress.contactId = contact.id();
                return applyTags(client, apiKey, config, contact, progress, context.idempotencyKey());
            });
        } catch (ValidationException e) {
            return ExecutionOutcome.permanent("cannot build the Systeme.io contact: " + e.getMessage());
        } catch (DeliveryException e) {
            return ExecutionOutcome.failed(e, "", progress.json());
        }
    }

    private SystemeIoContact findOrCreate(SystemeIoClient client, Order order, Progress progress) {
        Customer customer = order.customer();
        Optional<SystemeIoContact> existing = client.findContactByEmail(customer.email());
        if (existing.isPresent()) {
            return existing.get();
        }
        NewContact wanted = NewContact.builder(customer.email())
                .firstName(fieldValue(customer.firstName()))
                .surname(fieldValue(customer.lastName()))
                .phone(fieldValue(customer.phone()))
                .locale(NewContact.localeOf(order.language()))
                .build();
        try {
            SystemeIoContact created = client.createContact(wanted);
            progress.contactCreated = true;
            return created;
        } catch (SystemeIoException e) {
            if (!isClientRejection(e)) {
                throw e;
            }
            // Lost a race with another request (422 "email: This value is already used.") or the API refused
            // something else: either way, look again before deciding.
            Optional<SystemeIoContact> raced = client.findContactByEmail(customer.email());
            if (raced.isPresent()) {
                LOG.debug("contact create refused with HTTP {}; found the contact on a second look", e.statusCode());
                return raced.get();
            }
            if (!onlyTheLocaleRefused(wanted, e)) {
                throw e;
            }
            SystemeIoContact created = client.createContact(wanted.withoutLocale());
            progress.contactCreated = true;
            progress.note = "Systeme.io refused the locale '" + wanted.locale() + "', created the contact without it: "
                    + e.getMessage();
            return created;
        }
    }

    private ExecutionOutcome applyTags(
            SystemeIoClient client,
            Secret apiKey,
            SystemeIoGrantAccessConfig config,
            SystemeIoContact contact,
            Progress progress,
            String idempotencyKey) {
        List<String> names = config.tagNames();
        Map<String, SystemeIoTag> wanted = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        for (String name : names) {
            Optional<SystemeIoTag> onContact = TagMatcher.exact(contact.tags(), name);
            if (onContact.isPresent()) {
                wanted.put(name, onContact.get());
            } else {
                unresolved.add(name);
            }
        }
        if (!unresolved.isEmpty()) {
            TagDirectory.Resolution resolution =
                    integration.tags().resolve(apiKey, client, unresolved, config.createMissingTags());
            progress.tagsCreated.addAll(resolution.created());
            if (!resolution.missing().isEmpty()) {
                return new ExecutionOutcome.PermanentFailure(
                        "tags not found in Systeme.io: " + quote(resolution.missing())
                                + "; create them in Systeme.io (with their automations) or allow createMissingTags",
                        null,
                        progress.json());
            }
            wanted.putAll(resolution.tags());
        }
        for (String name : names) {
            // every name is on the contact already or was resolved: missing ones returned above
            SystemeIoTag tag = Objects.requireNonNull(wanted.get(name), name);
            if (contact.hasTag(tag.id())) {
                progress.tagsAlreadyPresent.add(name);
                continue;
            }
            try {
                client.addTagToContact(contact.id(), tag.id());
            } catch (SystemeIoException e) {
                if (!isClientRejection(e)) {
                    throw e;
                }
                SystemeIoContact reread;
                try {
                    reread = client.getContact(contact.id());
                } catch (SystemeIoNotFoundException gone) {
                    return ExecutionOutcome.retry(
                            new Failure(
                                    "contact " + contact.id() + " disappeared from Systeme.io; will look it up again",
                                    404,
                                    false,
                                    null),
                            progress.json());
                }
                if (!reread.hasTag(tag.id())) {
                    if (e instanceof SystemeIoNotFoundException) {
                        integration.tags().invalidate(apiKey);
                        return ExecutionOutcome.retry(
                                new Failure(
                                        "tag '" + name + "' (id " + tag.id() + ") was not found in Systeme.io; the tag"
                                                + " cache was cleared and the tags will be resolved again",
                                        404,
                                        false,
                                        null),
                                progress.json());
                    }
                    throw e;
                }
                LOG.debug("assigning tag {} answered HTTP {} but the contact has it", tag.id(), e.statusCode());
                progress.tagsAlreadyPresent.add(name);
                continue;
            }
            progress.tagsAdded.add(name);
        }
        LOG.info(
                "Systeme.io access granted for run {}: contact {}, {} tag(s) added, {} already present",
                idempotencyKey,
                contact.id(),
                progress.tagsAdded.size(),
                progress.tagsAlreadyPresent.size());
        return ExecutionOutcome.succeeded(progress.json());
    }

    /** A 4xx that is neither a refused key nor a rate limit: the data, not the caller, was refused. */
    static boolean isClientRejection(SystemeIoException e) {
        Integer status = e.statusCode();
        return status != null
                && status >= 400
                && status < 500
                && !(e instanceof SystemeIoAuthenticationException)
                && !(e instanceof SystemeIoRateLimitedException);
    }

    /**
     * Whether a second try without the locale may succeed: the API named the locale, and only the locale. The
     * customer's name and phone are never dropped to get a contact created: a refusal of them, or one that names
     * nothing, fails the run with the API's message instead.
     */
    private static boolean onlyTheLocaleRefused(NewContact wanted, SystemeIoException e) {
        return wanted.locale() != null
                && e instanceof SystemeIoValidationException
                && !e.violations().isEmpty()
                && e.violations().stream().allMatch(v -> v.concerns("locale"));
    }

    /** A customer value as a Systeme.io field accepts it: control characters as spaces, at most 255 characters. */
    private static @Nullable String fieldValue(@Nullable String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        String clean = out.toString().strip();
        if (clean.length() <= NewContact.MAX_FIELD_LENGTH) {
            return clean;
        }
        int end = NewContact.MAX_FIELD_LENGTH;
        if (Character.isHighSurrogate(clean.charAt(end - 1))) {
            end--;
        }
        return clean.substring(0, end);
    }

    private static String quote(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "SystemeIoGrantAccessExecutor[" + integration + "]";
    }

    /** What the current attempt has done so far. */
    private static final class Progress {
        private @Nullable Long contactId;
        private boolean contactCreated;
        private final List<String> tagsAdded = new ArrayList<>();
        private final List<String> tagsAlreadyPresent = new ArrayList<>();
        private final List<String> tagsCreated = new ArrayList<>();
        private @Nullable String note;

        String json() {
            return PostpurchaseJson.write(
                    new Result(contactId, contactCreated, tagsAdded, tagsAlreadyPresent, tagsCreated, note));
        }
    }
}
