package dev.postpurchase.email;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import java.util.List;

/**
 * An email could not be built because a header value is unsafe or malformed: an address that is not a valid
 * mailbox, a CR, LF or other control character in a subject, display name or header, a malformed Message-ID.
 * Every violation names its field (for example {@code subject} or {@code to[0].name}). Thrown before anything is
 * sent; retrying the same input will fail again.
 */
public class InvalidEmailException extends ValidationException {
    public InvalidEmailException(List<Violation> violations) {
        super(violations);
    }

    public InvalidEmailException(String field, String message) {
        super(field, message);
    }
}
