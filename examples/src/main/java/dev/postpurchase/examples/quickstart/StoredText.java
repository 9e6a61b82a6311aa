package dev.postpurchase.examples.quickstart;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/** Reads the configuration tables as stored, to show that their secrets are not there in plain text. */
final class StoredText {
    private StoredText() {}

    /** Whether no stored definition or integration row contains any of {@code secrets}. */
    static boolean noneContains(DataSource dataSource, String prefix, List<String> secrets) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, target_id, definition_enc FROM " + prefix
                        + "definition UNION ALL SELECT integration, integration, integration, api_key_enc FROM "
                        + prefix + "integration")) {
            boolean rows = false;
            while (rs.next()) {
                rows = true;
                for (int column = 1; column <= 4; column++) {
                    String text = rs.getString(column);
                    if (text != null && secrets.stream().anyMatch(text::contains)) {
                        return false;
                    }
                }
            }
            return rows;
        }
    }
}
