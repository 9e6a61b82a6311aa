package dev.postpurchase.email;

import dev.postpurchase.core.Violation;
import dev.postpurchase.email.internal.HeaderChecks;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An email address with an optional display name, validated when constructed: the address must be a single plain
 * address ({@code local@domain.tld}, at most 254 characters, no quoted local parts or IP literals) accepted both by
 * {@link dev.postpurchase.core.order.Formats#isEmail} and by Jakarta Mail's strict parser; neither the address nor
 * the name may contain CR, LF or any other control character. Construction throws {@link InvalidEmailException}
 * naming {@code address} or {@code name}.
 *
 * @param address the address, for example {@code anna@example.com}
 * @param name the display name, or null for none; encoded as UTF-8 when it is not ASCII
 */
public record Mailbox(String address, @Nullable String name) {

    public Mailbox {
        List<Violation> v = check("", address, name);
        if (!v.isEmpty()) {
            throw new InvalidEmailException(v);
        }
        if (name != null && name.isBlank()) {
            name = null;
        }
    }

    /** A mailbox without display name. */
    public static Mailbox of(String address) {
        return new Mailbox(address, null);
    }

    /** A mailbox with a display name (null or blank means none). */
    public static Mailbox of(String address, @Nullable String name) {
        return new Mailbox(address, name);
    }

    /** The violations of an address and name, with fields prefixed by {@code prefix} (empty or ending in a dot). */
    static List<Violation> check(String prefix, @Nullable String address, @Nullable String name) {
        List<Violation> v = new ArrayList<>();
        HeaderChecks.checkAddress(v, prefix + "address", address);
        HeaderChecks.checkName(v, prefix + "name", name);
        return v;
    }

    @Override
    public String toString() {
        return name == null ? address : name + " <" + address + ">";
    }
}
