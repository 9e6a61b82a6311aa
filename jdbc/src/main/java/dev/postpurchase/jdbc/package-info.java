/**
 * {@link dev.postpurchase.core.spi.ActionStateStore} on plain JDBC: {@link dev.postpurchase.jdbc.JdbcActionStateStore}
 * for PostgreSQL (many nodes, LISTEN/NOTIFY), MariaDB/MySQL and H2, with its schema as versioned SQL files ({@link
 * dev.postpurchase.jdbc.JdbcSchema}).
 */
@org.jspecify.annotations.NullMarked
package dev.postpurchase.jdbc;
