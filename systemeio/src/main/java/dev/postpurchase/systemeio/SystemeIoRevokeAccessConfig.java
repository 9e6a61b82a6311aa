package dev.postpurchase.systemeio;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.order.Formats;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.systemeio.internal.TagNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a "Revoke Systeme.io Access" action, run on a refund through a {@code REFUND_APPLIED} subscription:
 * the tags to remove from the customer's contact, normally the tags of the matching grant action.
 *
 * <p>A refund subscription sees every refund of the shop. {@code level} and {@code targetId} (both or neither)
 * limit the action to refunds of orders the grant applied to: an order containing that product, placed through
 * that offer, or in that checkout. Other refunds are skipped.
 *
 * @param name internal name, shown only in the dashboard
 * @param tags the tag names to remove, 1 to 50, distinct ignoring case, each at most 64 characters
 * @param level the level of the grant action this revokes, or null for every refund
 * @param targetId the product, offer or checkout id of that grant action, or null for every refund
 */
public record SystemeIoRevokeAccessConfig(
        String name, List<String> tags, @Nullable ActionLevel level, @Nullable String targetId) {

    public SystemeIoRevokeAccessConfig {
        tags = tags == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(tags));
    }

    /** Revokes these tags on every refund. */
    public static SystemeIoRevokeAccessConfig of(String name, List<String> tags) {
        return new SystemeIoRevokeAccessConfig(name, tags, null, null);
    }

    /** Revokes what {@code grant} adds, on refunds of orders a grant hanging on {@code level}/{@code targetId} applies to. */
    public static SystemeIoRevokeAccessConfig revoking(
            SystemeIoGrantAccessConfig grant, ActionLevel level, String targetId) {
        return new SystemeIoRevokeAccessConfig("Revoke: " + grant.name(), grant.tags(), level, targetId);
    }

    /** The tag names without surrounding blanks, in configured order. */
    public List<String> tagNames() {
        return tags.stream().map(String::strip).toList();
    }

    /** Whether a refund of {@code order} concerns this action (always, when no level is set). */
    public boolean appliesTo(Order order) {
        if (level == null || targetId == null) {
            return true;
        }
        return switch (level) {
            case PRODUCT -> order.productIds().contains(targetId);
            case OFFER -> order.offerIds().contains(targetId);
            case CHECKOUT -> order.checkoutId().equals(targetId);
        };
    }

    /** Throws {@link ValidationException} naming every bad field. */
    public void validate() {
        List<Violation> v = new ArrayList<>();
        TagNames.checkName(v, name);
        TagNames.check(v, "tags", tags);
        if ((level == null) != (targetId == null)) {
            v.add(new Violation(level == null ? "level" : "targetId", "level and targetId go together"));
        } else if (targetId != null && (targetId.isBlank() || Formats.hasControlCharacters(targetId))) {
            v.add(new Violation("targetId", "must not be blank or contain control characters"));
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }
}
