/**
 * Local stand-ins for the outside systems of the quick start (Kajabi, Systeme.io, a CRM webhook receiver, a licence
 * server), served by the JDK's HTTP server on loopback. They keep what they received so the example can check it.
 */
@NullMarked
package dev.postpurchase.examples.standins;

import org.jspecify.annotations.NullMarked;
