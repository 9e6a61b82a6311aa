package dev.postpurchase.core.action;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which runs to list, newest first (by creation, then id): every filter given must hold. Built with {@link
 * #builder()}; validated on {@code build()}.
 *
 * @param statuses the statuses wanted, where {@link Status#AWAITING_RETRY} is a PENDING run that failed at least once
 *     and {@link Status#PENDING} one not attempted yet; empty for all
 * @param types action types; empty for all
 * @param definitionId runs of one definition
 * @param level with {@code targetId}: runs of definitions hanging on that product, offer or checkout
 * @param triggerKind with {@code triggerId}: the runs of one order or event
 * @param createdFrom runs created at or after this instant
 * @param createdBefore runs created before this instant
 * @param limit the most runs per page, 1 to {@value #MAX_LIMIT}
 * @param after the page cursor from {@link RunPage#next()}; null for the first page
 */
public record RunQuery(
        Set<Status> statuses,
        Set<String> types,
        @Nullable String definitionId,
        @Nullable ActionLevel level,
        @Nullable String targetId,
        @Nullable TriggerKind triggerKind,
        @Nullable String triggerId,
        @Nullable Instant createdFrom,
        @Nullable Instant createdBefore,
        int limit,
        @Nullable String after) {

    /** The largest page. */
    public static final int MAX_LIMIT = 500;

    /** The statuses of the dashboard, with runs waiting for an automatic retry told apart. */
    public enum Status {
        PENDING,
        AWAITING_RETRY,
        RUNNING,
        SUCCEEDED,
        FAILED;

        /** Whether {@code run} is in this status. */
        public boolean matches(ActionRun run) {
            return switch (this) {
                case PENDING -> run.status() == RunStatus.PENDING && !run.awaitingRetry();
                case AWAITING_RETRY -> run.awaitingRetry();
                case RUNNING -> run.status() == RunStatus.RUNNING;
                case SUCCEEDED -> run.status() == RunStatus.SUCCEEDED;
                case FAILED -> run.status() == RunStatus.FAILED;
            };
        }
    }

    public RunQuery {
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        types = Set.copyOf(types);
    }

    /** Whether {@code run} satisfies every filter except the paging. */
    public boolean matches(ActionRun run) {
        return (statuses.isEmpty() || statuses.stream().anyMatch(s -> s.matches(run)))
                && (types.isEmpty() || types.contains(run.type()))
                && (definitionId == null || definitionId.equals(run.definitionId()))
                && (level == null || (level == run.level() && run.targetId().equals(targetId)))
                && (triggerKind == null
                        || (triggerKind == run.triggerKind() && run.triggerId().equals(triggerId)))
                && (createdFrom == null || !run.createdAt().isBefore(createdFrom))
                && (createdBefore == null || run.createdAt().isBefore(createdBefore));
    }

    /** This query for the page after {@code cursor}. */
    public RunQuery after(@Nullable String cursor) {
        return new RunQuery(
                statuses,
                types,
                definitionId,
                level,
                targetId,
                triggerKind,
                triggerId,
                createdFrom,
                createdBefore,
                limit,
                cursor);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable, not thread-safe builder of {@link RunQuery}. */
    public static final class Builder {
        private final Set<Status> statuses = EnumSet.noneOf(Status.class);
        private final Set<String> types = new java.util.TreeSet<>();
        private @Nullable String definitionId;
        private @Nullable ActionLevel level;
        private @Nullable String targetId;
        private @Nullable TriggerKind triggerKind;
        private @Nullable String triggerId;
        private @Nullable Instant createdFrom;
        private @Nullable Instant createdBefore;
        private int limit = 50;
        private @Nullable String after;

        private Builder() {}

        /** Adds statuses to the wanted ones (none given: every status). */
        public Builder status(Status... values) {
            statuses.addAll(List.of(values));
            return this;
        }

        /** Adds action types to the wanted ones (none given: every type). */
        public Builder type(String... values) {
            types.addAll(List.of(values));
            return this;
        }

        public Builder definition(String value) {
            this.definitionId = value;
            return this;
        }

        /** Runs of definitions hanging on this product, offer or checkout. */
        public Builder target(ActionLevel levelValue, String targetIdValue) {
            this.level = levelValue;
            this.targetId = targetIdValue;
            return this;
        }

        /** The runs of one order. */
        public Builder order(String orderId) {
            return trigger(TriggerKind.ORDER, orderId);
        }

        /** The runs of one event. */
        public Builder event(String eventId) {
            return trigger(TriggerKind.EVENT, eventId);
        }

        public Builder trigger(TriggerKind kind, String id) {
            this.triggerKind = kind;
            this.triggerId = id;
            return this;
        }

        /** Runs created in {@code [from, before)}; either may be null for an open end. */
        public Builder created(@Nullable Instant from, @Nullable Instant before) {
            this.createdFrom = from;
            this.createdBefore = before;
            return this;
        }

        /** The most runs per page; default 50. */
        public Builder limit(int value) {
            this.limit = value;
            return this;
        }

        /** The cursor of the page to read, from {@link RunPage#next()}. */
        public Builder after(@Nullable String cursor) {
            this.after = cursor;
            return this;
        }

        /**
         * Validates and builds the query.
         *
         * @throws ValidationException naming every bad setting
         */
        public RunQuery build() {
            List<Violation> v = new ArrayList<>();
            if (limit < 1 || limit > MAX_LIMIT) {
                v.add(new Violation("limit", "must be between 1 and " + MAX_LIMIT));
            }
            if ((level == null) != (targetId == null)) {
                v.add(new Violation("targetId", "a target needs both its level and its id"));
            }
            if ((triggerKind == null) != (triggerId == null)) {
                v.add(new Violation("triggerId", "a trigger needs both its kind and its id"));
            }
            if (createdFrom != null && createdBefore != null && !createdFrom.isBefore(createdBefore)) {
                v.add(new Violation("createdBefore", "must be after createdFrom"));
            }
            if (after != null && RunPage.Cursor.parse(after) == null) {
                v.add(new Violation("after", "is not a cursor this store returned"));
            }
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
            return new RunQuery(
                    statuses,
                    types,
                    definitionId,
                    level,
                    targetId,
                    triggerKind,
                    triggerId,
                    createdFrom,
                    createdBefore,
                    limit,
                    after);
        }
    }
}
