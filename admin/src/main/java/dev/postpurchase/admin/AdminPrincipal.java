package dev.postpurchase.admin;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * The staff member behind a request, as the {@link AdminAuthorizer} recognised them.
 *
 * @param name who it is, as written to the audit log and shown on the page (a login or an email address)
 * @param role what they may do
 */
public record AdminPrincipal(String name, AdminRole role) {
    public AdminPrincipal {
        List<Violation> v = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 200) {
            v.add(new Violation("name", "must be 1 to 200 characters"));
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            v.add(new Violation("name", "must not contain control characters"));
        }
        if (role == null) {
            v.add(new Violation("role", "is required"));
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    /** A staff member who may only look. */
    public static AdminPrincipal readOnly(String name) {
        return new AdminPrincipal(name, AdminRole.READ_ONLY);
    }

    /** A staff member who may re-run, test and edit. */
    public static AdminPrincipal operator(String name) {
        return new AdminPrincipal(name, AdminRole.OPERATOR);
    }
}
