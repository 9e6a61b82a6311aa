package dev.postpurchase.kajabi;

import org.jspecify.annotations.Nullable;

/**
 * The {@code member} group of a Kajabi payload: the contact record of the buyer at the time of the transaction.
 * Every field may be missing.
 *
 * @param id the Kajabi contact id
 * @param email the contact's email address at the time of the transaction
 * @param name the full name
 */
public record KajabiMember(
        @Nullable String id,
        @Nullable String email,
        @Nullable String name,
        @Nullable String firstName,
        @Nullable String lastName) {}
