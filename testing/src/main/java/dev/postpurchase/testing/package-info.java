/**
 * The published test kit: contract tests that every {@code ActionStateStore}, {@code DefinitionStore} and {@code
 * IntegrationSettingsStore} must pass, fakes for executors and the clock, and builders of test data. Use it from your own tests; it has no production use.
 */
@NullMarked
package dev.postpurchase.testing;

import org.jspecify.annotations.NullMarked;
