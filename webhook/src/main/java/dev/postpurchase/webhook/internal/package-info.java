/** Implementation details of the webhook module. Not API: may change in any release. */
@NullMarked
package dev.postpurchase.webhook.internal;

import org.jspecify.annotations.NullMarked;
