package dev.postpurchase.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.postpurchase.core.PostpurchaseJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/** The shipped JSON Schema, loaded from the class path as a receiver would, with format assertions on. */
final class PayloadSchema {
    private static final JsonSchema SCHEMA = load();

    private PayloadSchema() {}

    private static JsonSchema load() {
        try (InputStream in = Objects.requireNonNull(
                OrderWebhookPayload.class.getResourceAsStream(OrderWebhookPayload.SCHEMA_RESOURCE),
                "schema resource")) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .formatAssertionsEnabled(true)
                    .build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The validation errors of a JSON document; empty when it conforms. */
    static List<String> errors(String json) {
        try {
            JsonNode node = PostpurchaseJson.mapper().readTree(json);
            return errors(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> errors(JsonNode node) {
        return SCHEMA.validate(node).stream().map(ValidationMessage::getMessage).toList();
    }
}
