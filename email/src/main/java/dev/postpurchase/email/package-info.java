/** Email for post-purchase actions: the SMTP mailer, the receipt and custom email executors, and the fulfillment delivery email. Every message is multipart/alternative, UTF-8, with a Message-ID derived from the run. */
@org.jspecify.annotations.NullMarked
package dev.postpurchase.email;
