package dev.postpurchase.core.spi;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.action.ActionLevel;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which definitions {@link DefinitionStore#definitions} lists, and how many per page. Definitions are listed in
 * ascending id order; a page continues after the id in {@code after} (keyset paging, so concurrent inserts never
 * shift or repeat rows of later pages).
 *
 * @param level only definitions on this level; null for all levels
 * @param targetId only definitions hanging on this product, offer or checkout id; needs {@code level}
 * @param type only definitions of this action type; null for all types
 * @param limit page size, 1 to {@value #MAX_LIMIT}
 * @param after the previous page's {@link Page#nextCursor()}, or null for the first page
 */
public record DefinitionQuery(
        @Nullable ActionLevel level,
        @Nullable String targetId,
        @Nullable String type,
        int limit,
        @Nullable String after) {
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;

    /** The page size when none is set. */
    public static final int DEFAULT_LIMIT = 50;

    public DefinitionQuery {
        List<Violation> v = new ArrayList<>();
        if (targetId != null && level == null) {
            v.add(new Violation("targetId", "needs a level"));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            v.add(new Violation("limit", "must be between 1 and " + MAX_LIMIT));
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    /** Every definition, {@value #DEFAULT_LIMIT} per page. */
    public static DefinitionQuery all() {
        return new DefinitionQuery(null, null, null, DEFAULT_LIMIT, null);
    }

    /** The definitions hanging on one product, offer or checkout, {@value #DEFAULT_LIMIT} per page. */
    public static DefinitionQuery on(ActionLevel level, String targetId) {
        return new DefinitionQuery(level, targetId, null, DEFAULT_LIMIT, null);
    }

    /** Only definitions of {@code value}'s type. */
    public DefinitionQuery type(@Nullable String value) {
        return new DefinitionQuery(level, targetId, value, limit, after);
    }

    /** Pages of {@code value} definitions. */
    public DefinitionQuery limit(int value) {
        return new DefinitionQuery(level, targetId, type, value, after);
    }

    /** The page after {@code cursor} ({@link Page#nextCursor()}). */
    public DefinitionQuery after(@Nullable String cursor) {
        return new DefinitionQuery(level, targetId, type, limit, cursor);
    }

    /** Whether a definition with these fields is listed (ignoring paging). */
    public boolean matches(ActionLevel definitionLevel, String definitionTargetId, String definitionType) {
        return (level == null || level == definitionLevel)
                && (targetId == null || targetId.equals(definitionTargetId))
                && (type == null || type.equals(definitionType));
    }
}
