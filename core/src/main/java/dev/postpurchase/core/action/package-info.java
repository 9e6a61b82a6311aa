/** Action definitions (what a merchant configures) and action runs (one action for one trigger). */
@NullMarked
package dev.postpurchase.core.action;

import org.jspecify.annotations.NullMarked;
