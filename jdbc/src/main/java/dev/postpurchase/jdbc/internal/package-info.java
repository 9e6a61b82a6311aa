/** Implementation of the JDBC store; not an API, may change in any release. */
@org.jspecify.annotations.NullMarked
package dev.postpurchase.jdbc.internal;
