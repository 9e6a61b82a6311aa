/**
 * The reliability and security suite: crashes, database outages, misbehaving receivers and SMTP servers, bad input
 * and attacks, run against the real modules. Every test writes its figures to {@code
 * target/reliability-figures.txt}; {@code RELIABILITY.md} at the root of the repository reports them.
 */
@org.jspecify.annotations.NullMarked
package dev.postpurchase.reliability;
