package dev.postpurchase.examples.readme;

import dev.postpurchase.admin.AdminAuthorizer;
import dev.postpurchase.admin.AdminPage;
import dev.postpurchase.admin.AdminPrincipal;
import dev.postpurchase.admin.AdminServer;
import dev.postpurchase.admin.AdminServlet;
import dev.postpurchase.admin.TestOutcome;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.core.spi.IntegrationSettingsStore;
import dev.postpurchase.webhook.fulfillment.FulfillmentTestResult;
import dev.postpurchase.webhook.fulfillment.FulfillmentWebhookConfig;
import dev.postpurchase.webhook.fulfillment.FulfillmentWebhookExecutor;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The README's "Admin page" samples: the page mounted in the shop's servlet container, and standalone. */
public final class AdminPageSample {
    private AdminPageSample() {}

    /** Builds the page and mounts it at {@code /admin/*} of {@code servletContext}. */
    public static AdminPage mount(
            ServletContext servletContext,
            ActionPipeline pipeline,
            DefinitionStore definitions,
            IntegrationSettingsStore integrations,
            FulfillmentWebhookExecutor fulfillment) {
        // README:start admin-mount
        // who is staff: here the container's login (roles from the shop's user store); no default lets anyone in
        AdminAuthorizer authorizer = request -> request.unwrap(HttpServletRequest.class)
                .filter(http -> http.getUserPrincipal() != null)
                .flatMap(http -> {
                    String name = http.getUserPrincipal().getName();
                    if (http.isUserInRole("shop-admin")) {
                        return Optional.of(AdminPrincipal.operator(name)); // re-runs, edits, tests
                    }
                    return http.isUserInRole("shop-support")
                            ? Optional.of(AdminPrincipal.readOnly(name)) // looks only
                            : Optional.empty(); // 401
                });
        AdminPage page = AdminPage.builder()
                .pipeline(pipeline)
                .definitions(definitions) // the definitions and subscriptions screens
                .integrations(integrations) // switches and write-only API keys
                .authorizer(authorizer)
                .tester(
                        fulfillment.type(),
                        definition -> { // the "Test webhook" button
                            FulfillmentTestResult r =
                                    fulfillment.testWebhook(definition.config(FulfillmentWebhookConfig.class));
                            return new TestOutcome(
                                    r.metContract(),
                                    r.status(),
                                    r.bodyPrefix(),
                                    r.elapsed().toMillis(),
                                    r.problem());
                        })
                .frameAncestors("'self'") // default 'none': never framed
                .build();
        servletContext.addServlet("postpurchase-admin", new AdminServlet(page)).addMapping("/admin/*");
        // README:end
        return page;
    }

    /** Serves {@code page} on its own port, on the loopback interface. */
    public static AdminServer standalone(AdminPage page) {
        // README:start admin-standalone
        AdminServer server = AdminServer.start(page, new InetSocketAddress("127.0.0.1", 8089));
        // the page is at server.url(): http://127.0.0.1:8089/ ; server.close() stops it
        // README:end
        return server;
    }
}
