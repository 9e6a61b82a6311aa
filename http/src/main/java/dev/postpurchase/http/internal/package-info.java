/** Implementation details of the guarded HTTP client: address rules, filtering resolver, guarded sockets. */
@NullMarked
package dev.postpurchase.http.internal;

import org.jspecify.annotations.NullMarked;
