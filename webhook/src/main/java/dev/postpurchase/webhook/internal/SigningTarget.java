package dev.postpurchase.webhook.internal;

import dev.postpurchase.http.CheckedUrl;
import dev.postpurchase.webhook.StandardWebhookSigner;

/**
 * A webhook config as an attempt uses it, resolved once per config snapshot: the URL checked by the executor's
 * client and the signing secrets parsed into a signer.
 */
public record SigningTarget(CheckedUrl url, StandardWebhookSigner signer) {}
