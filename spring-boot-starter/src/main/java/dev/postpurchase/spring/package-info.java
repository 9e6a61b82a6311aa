/**
 * Spring Boot auto-configuration of Postpurchase: the JDBC store, definition source and integration settings on the
 * application's {@code DataSource}, the pipeline with every {@code ActionExecutor} bean, {@code postpurchase.*}
 * properties, a graceful stop with the application, metrics when Micrometer is present, and {@code
 * pipeline.submit} joined to the caller's Spring-managed transaction.
 */
@NullMarked
package dev.postpurchase.spring;

import org.jspecify.annotations.NullMarked;
