package dev.postpurchase.examples.readme;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.VersionConflictException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.spi.IntegrationSetting;
import dev.postpurchase.core.spi.SecretCodec;
import dev.postpurchase.core.spi.Versioned;
import dev.postpurchase.jdbc.JdbcDefinitionSource;
import dev.postpurchase.jdbc.JdbcIntegrationSettings;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;

/** The README's "Merchant configuration" sample: definitions and integrations in the shop's database. */
public final class MerchantConfiguration {
    private MerchantConfiguration() {}

    /** Runs the sample on {@code dataSource}; returns the definitions of {@code checkout-1} as stored. */
    public static List<ActionDefinition> run(DataSource dataSource, String configKeyBase64) {
        // README:start merchant-configuration
        SecretCodec codec = AesGcmSecretCodec.builder() // the key comes from your secret manager, never the database
                .currentKey("2026-03", Base64.getDecoder().decode(configKeyBase64))
                .build();
        ActionExecutors executors = ActionExecutors.of(List.of(new SlackNotifier()));
        try (JdbcDefinitionSource definitions = JdbcDefinitionSource.builder()
                        .dataSource(dataSource)
                        .executors(executors) // every save is validated against them
                        .secretCodec(codec)
                        .build();
                JdbcIntegrationSettings integrations = JdbcIntegrationSettings.builder()
                        .dataSource(dataSource)
                        .secretCodec(codec)
                        .build()) {
            definitions.migrate(); // the runs' tables and the configuration's

            integrations.save(IntegrationSetting.enabled("kajabi"));
            // when the shop creates a checkout: adds what every new checkout gets (the receipt, disabled)
            definitions.checkoutCreated("checkout-1");
            Versioned<ActionDefinition> saved = definitions.createDefinition(ActionDefinition.builder("slack")
                    .id("notify-sales")
                    .name("Tell #sales")
                    .checkout("checkout-1")
                    .config(new SlackNotifier.Config("#sales"))
                    .build());
            try {
                definitions.updateDefinition(saved.value().withEnabled(false), saved.version());
            } catch (VersionConflictException e) {
                // someone saved it since it was loaded: reload it, apply the change again, save with the new version
            }
            // ActionPipeline.builder().definitions(definitions)... reads them, cached, on every submit
            // README:end
            return definitions.forCheckout("checkout-1");
        }
    }
}
