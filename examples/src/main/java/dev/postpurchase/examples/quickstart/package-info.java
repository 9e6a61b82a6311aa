/** The quick start: one paid order through every action type against local stand-ins; run {@code ./quickstart}. */
@NullMarked
package dev.postpurchase.examples.quickstart;

import org.jspecify.annotations.NullMarked;
