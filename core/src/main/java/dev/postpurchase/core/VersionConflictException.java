package dev.postpurchase.core;

/**
 * An edit of merchant configuration was based on a version that is no longer current: someone else saved the same
 * definition or subscription after the editor loaded it. Nothing was written. Reload it ({@link #currentVersion()}
 * says which version is stored now), apply the change again and save with that version.
 */
public class VersionConflictException extends ConflictException {
    private final String id;
    private final long expectedVersion;
    private final long currentVersion;

    public VersionConflictException(String what, String id, long expectedVersion, long currentVersion) {
        super(what + " " + id + " was changed by someone else: the edit was based on version " + expectedVersion
                + ", the stored one is version " + currentVersion + "; reload it and apply the change again");
        this.id = id;
        this.expectedVersion = expectedVersion;
        this.currentVersion = currentVersion;
    }

    /** The id of the definition or subscription. */
    public String id() {
        return id;
    }

    /** The version the edit was based on. */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version stored when the edit was refused. */
    public long currentVersion() {
        return currentVersion;
    }
}
