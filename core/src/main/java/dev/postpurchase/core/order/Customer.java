package dev.postpurchase.core.order;

import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The buyer. The email is required and validated by {@link Order}; everything else is optional. Custom fields are
 * the checkout's extra questions, kept in key order.
 */
public record Customer(
        String email,
        @Nullable String firstName,
        @Nullable String lastName,
        @Nullable String phone,
        @Nullable Address address,
        @Nullable String businessId,
        Map<String, String> customFields) {

    public Customer {
        if (customFields != null) {
            for (Map.Entry<String, String> field : customFields.entrySet()) {
                if (field.getKey() == null || field.getValue() == null) {
                    throw new dev.postpurchase.core.ValidationException(
                            "customer.customFields", "keys and values must not be null");
                }
            }
        }
        customFields =
                customFields == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(customFields));
    }

    /** First and last name joined by a space, or the email when neither is known. */
    public String displayName() {
        String first = firstName == null ? "" : firstName.strip();
        String last = lastName == null ? "" : lastName.strip();
        String joined = (first + " " + last).strip();
        return joined.isEmpty() ? email : joined;
    }

    /** Masks personal data (logs must not carry it): only the email's domain and whether fields are set. */
    @Override
    public String toString() {
        int at = email == null ? -1 : email.indexOf('@');
        String domain = at < 0 ? "?" : email.substring(at + 1);
        return "Customer[email=***@" + domain + ", name=" + (firstName != null || lastName != null ? "***" : "none")
                + ", phone=" + (phone != null ? "***" : "none") + ", address=" + (address != null ? "***" : "none")
                + ", customFields=" + customFields.keySet() + "]";
    }

    /** Starts a customer with the given email. */
    public static Builder builder(String email) {
        return new Builder(email);
    }

    /** Mutable, not thread-safe builder of {@link Customer}. */
    public static final class Builder {
        private final String email;
        private @Nullable String firstName;
        private @Nullable String lastName;
        private @Nullable String phone;
        private @Nullable Address address;
        private @Nullable String businessId;
        private final Map<String, String> customFields = new TreeMap<>();

        private Builder(String email) {
            this.email = email;
        }

        public Builder firstName(@Nullable String value) {
            this.firstName = value;
            return this;
        }

        public Builder lastName(@Nullable String value) {
            this.lastName = value;
            return this;
        }

        public Builder phone(@Nullable String value) {
            this.phone = value;
            return this;
        }

        public Builder address(@Nullable Address value) {
            this.address = value;
            return this;
        }

        public Builder businessId(@Nullable String value) {
            this.businessId = value;
            return this;
        }

        public Builder customField(String key, String value) {
            if (key == null || value == null) {
                throw new dev.postpurchase.core.ValidationException(
                        "customer.customFields", "keys and values must not be null");
            }
            customFields.put(key, value);
            return this;
        }

        public Customer build() {
            return new Customer(email, firstName, lastName, phone, address, businessId, customFields);
        }
    }
}
