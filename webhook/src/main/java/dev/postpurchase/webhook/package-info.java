/**
 * Signed order webhooks per the Standard Webhooks specification (v1, HMAC-SHA256): the secret, the signer, a
 * standalone verifier for receivers (bodies, and GET query strings in their {@link
 * dev.postpurchase.webhook.CanonicalQuery canonical form}), the versioned order payload, and the {@code webhook}
 * action executor. Fulfillment webhooks live in {@code .fulfillment}, event postbacks in {@code .postback}.
 */
@NullMarked
package dev.postpurchase.webhook;

import org.jspecify.annotations.NullMarked;
