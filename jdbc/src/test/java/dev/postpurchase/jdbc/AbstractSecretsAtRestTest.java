package dev.postpurchase.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.SecretKeyException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.spi.IntegrationSetting;
import dev.postpurchase.core.spi.SecretCodec;
import dev.postpurchase.testing.RecordingExecutor;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets at rest: after webhook secrets, Kajabi offer URLs and a Systeme.io API key are saved, a dump of the
 * database made by the database's own tool contains none of them in plain text. Key rotation, a wrong key and a
 * value moved to another row are typed errors, never garbage.
 */
abstract class AbstractSecretsAtRestTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ActionExecutors executors =
            ActionExecutors.of(List.of(new RecordingExecutor("webhook"), new RecordingExecutor("kajabi-grant-offer")));
    private final String webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(bytes(24));
    private final String kajabiToken = HexFormat.of().formatHex(bytes(12));
    private final String kajabiUrl = "https://checkout.kajabi.com/webhooks/offers/" + kajabiToken + "/activate";
    private final String apiKey = "sk_live_" + HexFormat.of().formatHex(bytes(16));

    abstract ConfigFixture db();

    /** Everything the database holds for the fixture's tables, as the database's own dump tool writes it. */
    abstract String dump() throws Exception;

    @BeforeEach
    void emptyTables() {
        db().truncate();
    }

    @Test
    void aDumpOfTheDatabaseHoldsNoWebhookSecretApiKeyOrKajabiUrlInPlainText() throws Exception {
        saveSecrets(ConfigFixture.CODEC);
        submitAnOrder(ConfigFixture.CODEC); // its runs snapshot both definitions, secrets included

        String dump = dump();

        assertThat(dump)
                .as("the dump has the rows")
                .contains("crm-webhook", "kajabi-grant", "systemeio", "aesgcm:" + ConfigFixture.KEY_ID + ":")
                .contains("order:order-secrets");
        assertThat(dump)
                .doesNotContain(webhookSecret)
                .doesNotContain(webhookSecret.substring("whsec_".length()))
                .doesNotContain(kajabiToken)
                .doesNotContain("checkout.kajabi.com")
                .doesNotContain(apiKey);
        try (JdbcDefinitionSource definitions = db().definitions(executors).build();
                JdbcIntegrationSettings integrations = db().integrations().build()) {
            assertThat(definitions.byId("crm-webhook").orElseThrow().configJson())
                    .contains(webhookSecret);
            assertThat(definitions.byId("kajabi-grant").orElseThrow().configJson())
                    .contains(kajabiUrl);
            assertThat(integrations.apiKey("systemeio")).contains(Secret.of(apiKey));
        }
        try (JdbcActionStateStore store = db().store(db().dataSource)) {
            assertThat(store.runs(TriggerKind.ORDER, "order-secrets"))
                    .as("the runs read their snapshots back")
                    .extracting(r -> r.configJson())
                    .anySatisfy(json -> assertThat(json).contains(webhookSecret))
                    .anySatisfy(json -> assertThat(json).contains(kajabiUrl));
        }
    }

    @Test
    void runSnapshotsAreSealedUnderTheNewKeyByReEncryptingTheRunStore() throws Exception {
        saveSecrets(ConfigFixture.CODEC);
        submitAnOrder(ConfigFixture.CODEC);
        SecretCodec rotated = AesGcmSecretCodec.builder()
                .currentKey("rotated", AesGcmSecretCodec.generateKey())
                .previousKey(ConfigFixture.KEY_ID, ConfigFixture.KEY)
                .build();

        try (JdbcActionStateStore store = JdbcActionStateStore.builder()
                .dataSource(db().dataSource)
                .secretCodec(rotated)
                .dialect(db().dialect)
                .tablePrefix(db().prefix)
                .build()) {
            assertThat(store.reEncrypt(1)).isEqualTo(2);
            assertThat(store.reEncrypt(100)).isZero();
            assertThat(runSnapshots()).hasSize(2).allSatisfy(v -> assertThat(v).startsWith("aesgcm:rotated:"));
            assertThat(store.runs(TriggerKind.ORDER, "order-secrets"))
                    .extracting(r -> r.configJson())
                    .anySatisfy(json -> assertThat(json).contains(kajabiUrl));
        }
    }

    @Test
    void theDevelopmentCodecReallyStoresPlainText() throws Exception {
        saveSecrets(SecretCodec.plainTextForDevelopmentOnly());

        assertThat(dump()).contains(kajabiToken).contains(apiKey).contains("plain:-:");
    }

    @Test
    void afterAKeyRotationReEncryptingLeavesNoValueUnderTheOldKey() throws Exception {
        saveSecrets(ConfigFixture.CODEC);
        byte[] newKey = AesGcmSecretCodec.generateKey();
        SecretCodec rotated = AesGcmSecretCodec.builder()
                .currentKey("rotated", newKey)
                .previousKey(ConfigFixture.KEY_ID, ConfigFixture.KEY)
                .build();

        try (JdbcDefinitionSource definitions =
                        db().definitions(executors).secretCodec(rotated).build();
                JdbcIntegrationSettings integrations =
                        db().integrations().secretCodec(rotated).build()) {
            assertThat(definitions.byId("kajabi-grant").orElseThrow().configJson())
                    .as("old values are read with the previous key")
                    .contains(kajabiUrl);
            long versionBefore =
                    definitions.findDefinition("kajabi-grant").orElseThrow().version();

            assertThat(definitions.reEncrypt()).isEqualTo(2);
            assertThat(integrations.reEncrypt()).isEqualTo(1);
            assertThat(definitions.reEncrypt()).isZero();
            assertThat(integrations.reEncrypt()).isZero();
            assertThat(definitions.findDefinition("kajabi-grant").orElseThrow().version())
                    .isEqualTo(versionBefore);
        }
        assertThat(sealedValues()).hasSize(3).allSatisfy(v -> assertThat(v).startsWith("aesgcm:rotated:"));
        SecretCodec newKeyOnly =
                AesGcmSecretCodec.builder().currentKey("rotated", newKey).build();
        try (JdbcDefinitionSource definitions =
                        db().definitions(executors).secretCodec(newKeyOnly).build();
                JdbcIntegrationSettings integrations =
                        db().integrations().secretCodec(newKeyOnly).build()) {
            assertThat(definitions.byId("crm-webhook").orElseThrow().configJson())
                    .contains(webhookSecret);
            assertThat(integrations.apiKey("systemeio")).contains(Secret.of(apiKey));
        }
    }

    @Test
    void aWrongKeyIsATypedErrorNamingTheKeyIdNeverGarbage() {
        saveSecrets(ConfigFixture.CODEC);
        SecretCodec wrongKey = AesGcmSecretCodec.builder()
                .currentKey(ConfigFixture.KEY_ID, AesGcmSecretCodec.generateKey())
                .build();
        SecretCodec unknownKey = AesGcmSecretCodec.builder()
                .currentKey("another-app", AesGcmSecretCodec.generateKey())
                .build();

        try (JdbcDefinitionSource wrong =
                        db().definitions(executors).secretCodec(wrongKey).build();
                JdbcDefinitionSource unknown =
                        db().definitions(executors).secretCodec(unknownKey).build();
                JdbcIntegrationSettings wrongSettings =
                        db().integrations().secretCodec(wrongKey).build()) {
            assertThatThrownBy(() -> wrong.forCheckout("checkout-1"))
                    .isInstanceOfSatisfying(
                            SecretKeyException.class, e -> assertThat(e.keyId()).isEqualTo(ConfigFixture.KEY_ID))
                    .hasMessageNotContaining(webhookSecret);
            assertThatThrownBy(() -> unknown.findDefinition("kajabi-grant"))
                    .isInstanceOfSatisfying(
                            SecretKeyException.class, e -> assertThat(e.keyId()).isEqualTo(ConfigFixture.KEY_ID))
                    .hasMessageContaining("'" + ConfigFixture.KEY_ID + "'");
            assertThatThrownBy(() -> wrongSettings.apiKey("systemeio"))
                    .isInstanceOfSatisfying(
                            SecretKeyException.class, e -> assertThat(e.keyId()).isEqualTo(ConfigFixture.KEY_ID));
        }
    }

    @Test
    void aSealedValueCopiedIntoAnotherRowDoesNotDecrypt() throws SQLException {
        saveSecrets(ConfigFixture.CODEC);
        try (Connection c = db().dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE " + db().prefix + "definition SET definition_enc =" + " ? WHERE id = 'crm-webhook'")) {
            c.setAutoCommit(true);
            ps.setString(1, sealedValueOf("kajabi-grant"));
            ps.executeUpdate();
        }

        try (JdbcDefinitionSource definitions = db().definitions(executors).build()) {
            assertThatThrownBy(() -> definitions.byId("crm-webhook")).isInstanceOf(SecretKeyException.class);
            assertThat(definitions.byId("kajabi-grant").orElseThrow().configJson())
                    .contains(kajabiUrl);
        }
    }

    private void saveSecrets(SecretCodec codec) {
        try (JdbcDefinitionSource definitions =
                        db().definitions(executors).secretCodec(codec).build();
                JdbcIntegrationSettings integrations =
                        db().integrations().secretCodec(codec).build()) {
            definitions.createDefinition(definition(
                    "crm-webhook",
                    "webhook",
                    ActionLevel.CHECKOUT,
                    "checkout-1",
                    Map.of("url", "https://crm.example/hooks", "secret", webhookSecret)));
            definitions.createDefinition(definition(
                    "kajabi-grant",
                    "kajabi-grant-offer",
                    ActionLevel.OFFER,
                    "offer-1",
                    Map.of("name", "Course", "activationUrl", kajabiUrl)));
            integrations.save(IntegrationSetting.enabled("systemeio", Secret.of(apiKey)));
        }
    }

    /** Submits an order through a pipeline whose run store seals snapshots with {@code codec}. */
    private void submitAnOrder(SecretCodec codec) {
        try (JdbcDefinitionSource definitions =
                        db().definitions(executors).secretCodec(codec).build();
                JdbcActionStateStore store = JdbcActionStateStore.builder()
                        .dataSource(db().dataSource)
                        .secretCodec(codec)
                        .dialect(db().dialect)
                        .tablePrefix(db().prefix)
                        .build();
                ActionPipeline pipeline = ActionPipeline.builder()
                        .store(store)
                        .definitions(definitions)
                        .executors(
                                List.of(new RecordingExecutor("webhook"), new RecordingExecutor("kajabi-grant-offer")))
                        .startWorkers(false)
                        .build()) {
            assertThat(pipeline.submit(TestOrders.paidOrder("order-secrets").build())
                            .runs())
                    .hasSize(2);
        }
    }

    private List<String> runSnapshots() throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db().dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT config_json FROM " + db().prefix + "run")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static ActionDefinition definition(
            String id, String type, ActionLevel level, String target, Map<String, String> config) {
        return TestDefinitions.definition(id, type, level, target, config);
    }

    private List<String> sealedValues() throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db().dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT definition_enc FROM " + db().prefix + "definition UNION ALL"
                        + " SELECT api_key_enc FROM " + db().prefix + "integration")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private String sealedValueOf(String definitionId) throws SQLException {
        try (Connection c = db().dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT definition_enc FROM " + db().prefix + "definition WHERE id = ?")) {
            ps.setString(1, definitionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Runs a dump tool and returns what it wrote; fails the test when it fails. */
    static String run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int exit = process.waitFor();
        assertThat(exit).as(String.join(" ", command) + " failed:\n" + output).isZero();
        return output;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
