package dev.postpurchase.core;

/**
 * An action needs an integration (Kajabi, Systeme.io, ...) that is not enabled in the backend's integration
 * settings, or is enabled without the credentials it needs.
 */
public class IntegrationNotEnabledException extends ValidationException {
    private final String integration;

    public IntegrationNotEnabledException(String integration, String field) {
        super(field, "the " + integration + " integration is not enabled in the integration settings");
        this.integration = integration;
    }

    /** The integration's id, for example {@code kajabi}. */
    public String integration() {
        return integration;
    }
}
