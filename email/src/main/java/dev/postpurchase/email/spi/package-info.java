/** Extension point: {@link dev.postpurchase.email.spi.EmailTransport} lets a backend send through its own email API instead of SMTP. */
@org.jspecify.annotations.NullMarked
package dev.postpurchase.email.spi;
