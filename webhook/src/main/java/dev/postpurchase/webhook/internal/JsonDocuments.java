package dev.postpurchase.webhook.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.core.PostpurchaseException;
import dev.postpurchase.core.PostpurchaseJson;

/** Serialises the webhook and postback documents: compact JSON, exactly the bytes that are signed and sent. */
public final class JsonDocuments {
    private JsonDocuments() {}

    /** {@code document} as compact JSON text; {@code what} names it in the (unexpected) failure. */
    public static String compact(ObjectNode document, String what) {
        try {
            return PostpurchaseJson.mapper().writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new PostpurchaseException("cannot serialise " + what, e);
        }
    }
}
