package dev.postpurchase.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDefinitionSource;
import dev.postpurchase.jdbc.JdbcDialect;
import dev.postpurchase.jdbc.JdbcSchema;
import dev.postpurchase.testing.TestCodecs;
import dev.postpurchase.testing.TestOrders;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by Selenium
 * with the driver path pinned so nothing is downloaded), served by embedded Jetty from a PostgreSQL store: a staff
 * member fixes a failed action's template in the generated editor, re-runs it with "use latest template" from the
 * order view and sees it succeed. Screenshots of the main pages go to {@code target/screenshots}.
 */
class AdminBrowserTest {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String SESSION = "staff-session-" + UUID.randomUUID();
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static HikariDataSource dataSource;
    static String prefix;
    static ActionPipeline pipeline;
    static JdbcDefinitionSource definitions;
    static Server jetty;
    static String pageUrl;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "the browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "): apt-get install -y chromium chromium-driver; .ci/run installs them");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(env("PP_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
        config.setUsername(env("PP_TEST_PG_USER", "postgres"));
        config.setPassword(env("PP_TEST_PG_PASSWORD", ""));
        config.setMaximumPoolSize(6);
        config.setPoolName("admin-browser");
        dataSource = new HikariDataSource(config);
        prefix = "pp_adm_" + UUID.randomUUID().toString().substring(0, 8) + "_";
        JdbcActionStateStore store = JdbcActionStateStore.builder()
                .dataSource(dataSource)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(JdbcDialect.POSTGRESQL)
                .tablePrefix(prefix)
                .build();
        store.migrate();
        HookExecutor executor = new HookExecutor();
        definitions = JdbcDefinitionSource.builder()
                .dataSource(dataSource)
                .dialect(JdbcDialect.POSTGRESQL)
                .tablePrefix(prefix)
                .executors(ActionExecutors.of(List.of(executor)))
                .secretCodec(TestCodecs.aesGcm())
                .refreshInterval(Duration.ofMillis(200))
                .build();
        definitions.createDefinition(
                AdminApiTest.hook("grant", "product-1", HookExecutor.Outcome.FAIL, AdminApiTest.TOKEN));
        definitions.createDefinition(
                AdminApiTest.hook("notify", "product-2", HookExecutor.Outcome.OK, AdminApiTest.TOKEN));
        pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(executor)
                .pollInterval(Duration.ofMillis(50))
                .build();
        pipeline.submit(TestOrders.paidOrder("o-browser").build());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(20))).isTrue();

        AdminPage page = AdminPage.builder()
                .pipeline(pipeline)
                .definitions(definitions)
                .integrations(new InMemoryIntegrationSettings())
                // the shop's own login: a session cookie it set when staff signed in
                .authorizer(request -> request.cookie("shop_session")
                        .filter(SESSION::equals)
                        .map(s -> AdminPrincipal.operator("ann@shop.example")))
                .tester(HookExecutor.TYPE, d -> new TestOutcome(true, 200, "<b>pong</b>", 5, null))
                .build();
        jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler("/shop");
        context.addServlet(new ServletHolder(new AdminServlet(page)), "/admin/*");
        jetty.setHandler(context);
        jetty.start();
        int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        pageUrl = "http://127.0.0.1:" + port + "/shop/admin/";

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (jetty != null) {
            jetty.stop();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (definitions != null) {
            definitions.close();
        }
        if (dataSource != null) {
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                for (String drop : JdbcSchema.dropStatements(JdbcDialect.POSTGRESQL, prefix)) {
                    s.execute(drop);
                }
            } catch (SQLException e) {
                throw new AssertionError("could not drop the " + prefix + " tables", e);
            }
            dataSource.close();
        }
    }

    private static String env(String name, String fallback) {
        return Optional.ofNullable(System.getenv(name))
                .filter(v -> !v.isBlank())
                .orElse(fallback);
    }

    /** Waits up to 20 s; the page re-renders while it follows actions under way, so stale elements are retried. */
    private static FluentWait<WebDriver> waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class);
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void signIn() {
        browser.get(pageUrl);
        browser.manage().addCookie(new Cookie("shop_session", SESSION, "/shop"));
        browser.get(pageUrl);
        try {
            waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("overview")));
        } catch (RuntimeException e) {
            throw new AssertionError("the overview did not show; the page is: " + browser.getPageSource(), e);
        }
    }

    private static WebElement rowOf(String definitionId) {
        String runId = ActionRun.idFor(TriggerKind.ORDER, "o-browser", definitionId);
        return browser.findElement(By.cssSelector("#order-runs tr[data-run='" + runId + "']"));
    }

    @Test
    void staffFixTheTemplateOfAFailedActionReRunItWithTheLatestTemplateAndSeeItSucceed() throws IOException {
        signIn();
        WebElement failedCard = browser.findElement(By.cssSelector("[data-count='Failed'] .n"));
        assertThat(failedCard.getText()).isEqualTo("1");
        screenshot("admin-overview");

        browser.findElement(By.cssSelector("a[data-nav='failed']")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.runs tr[data-run]")));
        assertThat(browser.findElements(By.cssSelector("table.runs tbody tr[data-run]")))
                .hasSize(1);
        screenshot("admin-failed");

        // fix the template in the editor generated from the config's schema; a bad URL is refused by field first
        browser.get(pageUrl + "#/definition/grant");
        WebElement url =
                waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-path='url']")));
        assertThat(browser.findElement(By.cssSelector("[data-path='token']")).getAttribute("value"))
                .isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(AdminApiTest.TOKEN);
        url.clear();
        url.sendKeys("http://plain.example/grant");
        new Select(browser.findElement(By.cssSelector("[data-path='outcome']"))).selectByValue("OK");
        browser.findElement(By.id("save-definition")).click();
        WebElement urlError = browser.findElement(By.cssSelector("[data-field='config.url'] > .field-error"));
        waiting().until(d -> !urlError.getText().isEmpty());
        assertThat(urlError.getText()).contains("https");
        screenshot("admin-definition-errors");
        url.clear();
        url.sendKeys("https://receiver.example/grant-v2");
        browser.findElement(By.id("save-definition")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "version 2"));
        assertThat(definitions.findDefinition("grant").orElseThrow().version()).isEqualTo(2);

        // open the order, re-run the failed action with "use latest template"
        WebElement search = browser.findElement(By.id("order-search-id"));
        search.sendKeys("o-browser");
        browser.findElement(By.cssSelector("#order-search button")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("order-runs")));
        assertThat(rowOf("grant").findElement(By.cssSelector(".status")).getText())
                .isEqualTo("FAILED");
        screenshot("admin-order");
        rowOf("grant").findElement(By.cssSelector("button.rerun")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("rerun-dialog")));
        browser.findElement(By.id("opt-latest")).click();
        WebElement changes = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("template-changes")));
        assertThat(changes.getText()).contains("outcome").contains("url").contains("grant-v2");
        screenshot("admin-rerun-dialog");
        waiting()
                .until(ExpectedConditions.elementToBeClickable(By.id("rerun-confirm")))
                .click();
        waiting().until(d -> "SUCCEEDED"
                .equals(rowOf("grant").findElement(By.cssSelector(".status")).getAttribute("data-status")));
        assertThat(pipeline.run(ActionRun.idFor(TriggerKind.ORDER, "o-browser", "grant"))
                        .orElseThrow()
                        .status())
                .isEqualTo(RunStatus.SUCCEEDED);
        screenshot("admin-order-after-rerun");

        // the result is shown exactly as received, as text: the markup in it never becomes elements
        rowOf("notify").findElement(By.cssSelector("a.run-link")).click();
        WebElement result = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("run-result")));
        assertThat(result.getAttribute("textContent")).isEqualTo(HookExecutor.RESULT);
        assertThat(result.findElements(By.tagName("img"))).isEmpty();
        assertThat(result.findElements(By.tagName("b"))).isEmpty();
        screenshot("admin-run");

        browser.get(pageUrl + "#/definitions");
        waiting()
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#definitions tr[data-definition]")));
        screenshot("admin-definitions");
        // subscribe an action to refunds in the subscription editor
        browser.get(pageUrl + "#/subscriptions");
        waiting()
                .until(ExpectedConditions.presenceOfElementLocated(By.id("subscriptions")))
                .findElement(By.cssSelector("tr[data-event='REFUND_APPLIED'] button.add-subscription"))
                .click();
        WebElement subscriptionForm =
                waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("subscription-form")));
        subscriptionForm.findElement(By.name("id")).sendKeys("refunds");
        subscriptionForm
                .findElement(By.cssSelector("input[name='definition'][value='notify']"))
                .click();
        screenshot("admin-subscription-editor");
        subscriptionForm.findElement(By.cssSelector("button.primary")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li[data-subscription='refunds']")));
        assertThat(definitions.findSubscription("refunds").orElseThrow().value().definitionIds())
                .containsExactly("notify");
        screenshot("admin-subscriptions");

        // an API key is set from the page and never shown again
        browser.get(pageUrl + "#/integrations");
        WebElement add = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("new-integration")));
        add.sendKeys("systemeio");
        add.findElement(By.xpath("following-sibling::button")).click();
        WebElement key = waiting()
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[data-key='systemeio']")));
        key.sendKeys(AdminApiTest.NEW_TOKEN);
        key.findElement(By.xpath("following-sibling::button")).click();
        waiting().until(d -> d.findElement(By.cssSelector("tr[data-integration='systemeio'] td:nth-child(3)"))
                .getText()
                .equals("set"));
        assertThat(browser.getPageSource()).doesNotContain(AdminApiTest.NEW_TOKEN);
        screenshot("admin-integrations");
    }

    @Test
    void anUnauthenticatedRequestAndARequestWithoutTheCsrfTokenAreRefused() {
        String runId = ActionRun.idFor(TriggerKind.ORDER, "o-browser", "notify");
        TestClient stranger = new TestClient(pageUrl, null);
        assertThat(stranger.get("").status()).isEqualTo(401);
        assertThat(stranger.get("api/order?id=o-browser").status()).isEqualTo(401);

        // signed in to the shop, but the call carries no CSRF token (as a forged cross-site request would)
        TestClient staff = new TestClient(pageUrl, null);
        TestClient.Reply noToken = staff.sendWithCookie(
                "POST", "api/run/rerun?id=" + runId, "{\"acknowledgeSucceeded\":true}", "shop_session=" + SESSION);
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(pipeline.run(runId).orElseThrow().rerunCount()).isZero();
    }
}
