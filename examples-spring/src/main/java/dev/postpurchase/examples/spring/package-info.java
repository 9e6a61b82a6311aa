/** A Spring Boot shop on the Postpurchase starter. */
@NullMarked
package dev.postpurchase.examples.spring;

import org.jspecify.annotations.NullMarked;
