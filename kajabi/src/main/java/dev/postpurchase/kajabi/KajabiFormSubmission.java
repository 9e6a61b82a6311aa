package dev.postpurchase.kajabi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Form Submission payload. Not a purchase: it carries no order. The default form fields are present only when
 * the form has them.
 *
 * @param id the submission id
 * @param formId the submitted form's id
 * @param formTitle the submitted form's title
 * @param customFieldsByTitle the {@code custom_fields} object: every custom field value keyed by the field's title
 * @param firstName parsed by Kajabi from the name field
 * @param lastName parsed by Kajabi from the name field
 * @param customFieldsByHandle the top-level {@code custom_1} ... {@code custom_150} fields, keyed by handle
 */
public record KajabiFormSubmission(
        @Nullable String id,
        @Nullable String formId,
        @Nullable String formTitle,
        Map<String, String> customFieldsByTitle,
        @Nullable String name,
        @Nullable String email,
        @Nullable String phoneNumber,
        @Nullable String mobilePhoneNumber,
        @Nullable String addressLine1,
        @Nullable String addressLine2,
        @Nullable String addressCity,
        @Nullable String addressState,
        @Nullable String addressCountry,
        @Nullable String addressZip,
        @Nullable String businessNumber,
        @Nullable String firstName,
        @Nullable String lastName,
        Map<String, String> customFieldsByHandle)
        implements KajabiWebhook {

    public KajabiFormSubmission {
        customFieldsByTitle = customFieldsByTitle == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(customFieldsByTitle));
        customFieldsByHandle = customFieldsByHandle == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(customFieldsByHandle));
    }

    @Override
    public KajabiWebhookKind kind() {
        return KajabiWebhookKind.FORM_SUBMISSION;
    }
}
