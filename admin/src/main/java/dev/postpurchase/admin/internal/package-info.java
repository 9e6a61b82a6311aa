/** The admin page's request handling, JSON views, CSRF tokens and config schemas; not an API. */
@NullMarked
package dev.postpurchase.admin.internal;

import org.jspecify.annotations.NullMarked;
