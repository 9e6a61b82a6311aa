/**
 * The integrator app: a small shop backend embedding the SDK over plain HTTP. It records a paid order and its
 * actions in one database transaction, takes Kajabi's outbound webhooks as an order source, lists an order's actions,
 * re-runs one with the dashboard's options, and verifies signed webhooks it receives.
 */
@NullMarked
package dev.postpurchase.examples.integrator;

import org.jspecify.annotations.NullMarked;
