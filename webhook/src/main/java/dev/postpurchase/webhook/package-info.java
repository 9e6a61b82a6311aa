/**
 * Signed order webhooks per the Standard Webhooks specification (v1, HMAC-SHA256): the secret, the signer, a
 * standalone verifier for receivers, the versioned order payload, and the {@code webhook} action executor.
 */
@NullMarked
package dev.postpurchase.webhook;

import org.jspecify.annotations.NullMarked;
