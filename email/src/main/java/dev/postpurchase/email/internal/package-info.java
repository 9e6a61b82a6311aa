/** Implementation details (escaping, sanitising, templates, layout, translations); not API, may change at any time. */
@org.jspecify.annotations.NullMarked
package dev.postpurchase.email.internal;
