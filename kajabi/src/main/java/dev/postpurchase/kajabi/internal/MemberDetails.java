package dev.postpurchase.kajabi.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.postpurchase.core.PostpurchaseException;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.kajabi.KajabiExternalUserId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The body Kajabi's offer webhooks take: {@code name}, {@code email}, {@code external_user_id}. */
public record MemberDetails(String name, String email, String externalUserId) {

    /**
     * The details of a customer. The name is the first name and the last name, joined by a space; with {@code
     * hideLastName} the last name is cut to its first letter ({@code Jane S}). With no name at all it is the part of
     * the email before the {@code @} (Kajabi refuses a blank name; the domain is left out).
     */
    public static MemberDetails of(Customer customer, boolean hideLastName, KajabiExternalUserId policy) {
        String first = clean(customer.firstName());
        String last = clean(customer.lastName());
        if (hideLastName && !last.isEmpty()) {
            last = last.substring(0, last.offsetByCodePoints(0, 1));
        }
        String name = (first + " " + last).strip();
        String email = customer.email().strip();
        if (name.isEmpty()) {
            int at = email.indexOf('@');
            name = at > 0 ? email.substring(0, at) : email;
        }
        return new MemberDetails(name, email, policy.of(email));
    }

    /** The JSON body. */
    public byte[] json() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("email", email);
        body.put("external_user_id", externalUserId);
        try {
            return PostpurchaseJson.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new PostpurchaseException("cannot serialise the Kajabi member details", e);
        }
    }

    private static String clean(@Nullable String value) {
        return value == null ? "" : value.strip();
    }

    @Override
    public String toString() {
        return "MemberDetails[***]";
    }
}
