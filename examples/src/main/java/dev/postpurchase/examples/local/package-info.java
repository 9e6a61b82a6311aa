/**
 * What the runnable examples share: the outside systems played on loopback (an in-process SMTP server and the HTTP
 * stand-ins) with the real executors wired to them, and the database an example keeps its state in (an embedded H2
 * file by default, any JDBC URL on request).
 */
@NullMarked
package dev.postpurchase.examples.local;

import org.jspecify.annotations.NullMarked;
