package dev.postpurchase.kajabi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the JSON fixtures under {@code src/test/resources/kajabi}. */
final class Fixtures {
    private Fixtures() {}

    static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/kajabi/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KajabiPurchaseCreated purchase(int n) {
        String name =
                switch (n) {
                    case 1 -> "purchase-created-1-primary.json";
                    case 2 -> "purchase-created-2-bump.json";
                    case 3 -> "purchase-created-3-bump.json";
                    default -> throw new IllegalArgumentException("no purchase " + n);
                };
        return KajabiWebhooks.parsePurchaseCreated(read(name));
    }
}
