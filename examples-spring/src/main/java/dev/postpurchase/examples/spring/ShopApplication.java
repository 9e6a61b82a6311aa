package dev.postpurchase.examples.spring;

import dev.postpurchase.admin.AdminAuthorizer;
import dev.postpurchase.admin.AdminPage;
import dev.postpurchase.admin.AdminPrincipal;
import dev.postpurchase.admin.AdminServlet;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.core.spi.IntegrationSettingsStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A shop backend on Spring Boot with the Postpurchase starter: the starter finds the application's DataSource (here
 * the embedded H2), installs its tables, registers {@link ThankYouNotifier} (an {@code ActionExecutor} bean) and runs
 * a pipeline; the application sets one property, {@code postpurchase.secret-key}. {@link PaidOrderController} records
 * a paid order and submits it in one transaction.
 */
@SpringBootApplication
public class ShopApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }

    /** The notifier every paid order of the web checkout triggers; a real app gets this from its settings page. */
    @Bean
    ThankYouNotifier thankYouNotifier() {
        return new ThankYouNotifier();
    }

    /**
     * The admin page at {@code /admin/}, in the application's own servlet container. Staff are recognised by the
     * shop's staff cookie; here a shared token from {@code shop.staff-token} stands for the shop's real login (with
     * Spring Security, read the authenticated principal from the request instead). Nobody else gets in.
     */
    @Bean
    ServletRegistrationBean<AdminServlet> adminPage(
            ActionPipeline pipeline,
            DefinitionStore definitions,
            IntegrationSettingsStore integrations,
            @Value("${shop.staff-token}") String staffToken) {
        byte[] expected = staffToken.getBytes(StandardCharsets.UTF_8);
        AdminAuthorizer authorizer = request -> request.cookie("shop_staff")
                .filter(token -> MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), expected))
                .map(token -> AdminPrincipal.operator("staff"));
        AdminPage page = AdminPage.builder()
                .pipeline(pipeline)
                .definitions(definitions)
                .integrations(integrations)
                .authorizer(authorizer)
                .build();
        return new ServletRegistrationBean<>(new AdminServlet(page), "/admin/*");
    }

    /** The shop's own tables (on the embedded H2), and the merchant's one action definition on first start. */
    @Bean
    ApplicationRunner setUp(JdbcTemplate jdbc, DefinitionStore definitions) {
        return args -> {
            jdbc.execute("CREATE TABLE IF NOT EXISTS shop_order (id VARCHAR(100) PRIMARY KEY, email VARCHAR(200) NOT"
                    + " NULL, amount_cents BIGINT NOT NULL, currency VARCHAR(3) NOT NULL)");
            jdbc.execute("CREATE TABLE IF NOT EXISTS course_seats (product_id VARCHAR(100) PRIMARY KEY,"
                    + " seats_left INTEGER NOT NULL CHECK (seats_left >= 0))");
            jdbc.update("MERGE INTO course_seats (product_id, seats_left) KEY (product_id) VALUES ('course-1', 100)");
            jdbc.update("MERGE INTO course_seats (product_id, seats_left) KEY (product_id) VALUES ('sold-out', 0)");
            if (definitions.findDefinition("thank-you").isEmpty()) {
                definitions.createDefinition(ActionDefinition.builder(ThankYouNotifier.TYPE)
                        .id("thank-you")
                        .name("Thank the buyer")
                        .checkout(PaidOrderController.CHECKOUT)
                        .config(new ThankYouNotifier.Config("Thank you for your order"))
                        .build());
            }
        };
    }
}
