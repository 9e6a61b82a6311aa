/**
 * Systeme.io integration: a typed client for the Systeme.io public API (contacts and tags), a per-API-key throttle,
 * and the {@code systemeio-grant-access} and {@code systemeio-revoke-access} action executors.
 */
@NullMarked
package dev.postpurchase.systemeio;

import org.jspecify.annotations.NullMarked;
