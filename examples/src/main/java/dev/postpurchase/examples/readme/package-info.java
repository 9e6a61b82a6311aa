/**
 * The README's code samples, compiled by the build. {@code ReadmeSamplesTest} checks that every Java block of the
 * README appears here verbatim, so the README cannot drift from code that compiles.
 */
@NullMarked
package dev.postpurchase.examples.readme;

import org.jspecify.annotations.NullMarked;
