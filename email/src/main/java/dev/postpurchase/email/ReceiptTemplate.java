package dev.postpurchase.email;

import org.jspecify.annotations.Nullable;

/**
 * A merchant's override of the receipt for one language; each part is optional and the built-in one is used for a
 * part left null. Templates use {@code {{name}}} placeholders only (see {@link EmailReceiptExecutor#PLACEHOLDERS});
 * values are HTML-escaped, except {@code {{details}}}, {@code {{items}}} and {@code {{totals}}}, which insert the
 * SDK's own tables.
 *
 * @param subject the subject line; rendered as text, customer data with control characters flattened to spaces
 * @param html the body inside the SDK's layout; sanitised to the allowed tags (rich text plus simple tables and
 *     https images, no styles, scripts or event handlers) before rendering
 * @param text the plain-text body; when null but {@code html} is set, it is derived from {@code html}
 */
public record ReceiptTemplate(@Nullable String subject, @Nullable String html, @Nullable String text) {}
