package dev.postpurchase.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration the SDK uses for orders, configs, snapshots and events: ISO-8601 instants, unknown
 * properties tolerated, anything after the document refused. The returned mapper is shared and thread-safe; do not reconfigure it.
 */
public final class PostpurchaseJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private PostpurchaseJson() {}

    /** The shared mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serialises a value; a failure here is a programming error and is thrown unchecked. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new PostpurchaseException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses JSON into {@code type}, never returning null. A validation failure inside a constructor surfaces as the
     * original {@link ValidationException}; malformed JSON and a JSON {@code null} become a {@link
     * ValidationException} on {@code field}.
     */
    public static <T> T read(String json, Class<T> type, String field) {
        if (json == null) {
            throw new ValidationException(field, "is required");
        }
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new ValidationException(field, "is required, but the JSON is null");
            }
            return value;
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof ValidationException ve) {
                throw ve;
            }
            throw new ValidationException(
                    field, "cannot be read as " + type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ValidationException(
                    field, "cannot be read as " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }
}
