package dev.postpurchase.webhook;

import java.time.Instant;

/**
 * A message that passed verification.
 *
 * @param id the {@code webhook-id}: deduplicate on it, retries of one message carry the same id
 * @param timestamp the attempt's {@code webhook-timestamp}
 */
public record VerifiedWebhook(String id, Instant timestamp) {}
