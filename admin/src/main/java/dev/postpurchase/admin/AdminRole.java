package dev.postpurchase.admin;

/** What a staff member may do on the admin page. */
public enum AdminRole {
    /** Sees everything the page shows (never a secret); changes nothing. */
    READ_ONLY,
    /**
     * Also re-runs actions, brings retries forward, tests webhooks, edits definitions and subscriptions, and sets
     * secrets.
     */
    OPERATOR;

    /** Whether this role may change things. */
    public boolean canOperate() {
        return this == OPERATOR;
    }
}
