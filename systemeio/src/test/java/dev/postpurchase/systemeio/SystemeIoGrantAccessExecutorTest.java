package dev.postpurchase.systemeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.IntegrationNotEnabledException;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.testing.TestRuns;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

class SystemeIoGrantAccessExecutorTest extends FakeSystemeIoTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private SystemeIoGrantAccessExecutor executor() {
        return integration.grantAccessExecutor();
    }

    private ExecutionOutcome run(SystemeIoGrantAccessConfig config, Order order) {
        SystemeIoGrantAccessExecutor executor = executor();
        ActionDefinition definition = ActionDefinition.builder(SystemeIoGrantAccessExecutor.TYPE)
                .id("grant-course")
                .product("course-1")
                .config(config)
                .build();
        ActionRun run = TestRuns.claimed(
                ActionRun.create(TriggerKind.ORDER, order.id(), definition, executor.defaultRetryPolicy(), NOW),
                "test-node",
                NOW);
        return ActionExecutors.attempt(
                executor, new ExecutionContext<>(run, config, order, null, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private static SystemeIoGrantAccessExecutor.Result result(ExecutionOutcome outcome) {
        String json = outcome instanceof ExecutionOutcome.Succeeded s
                ? s.result()
                : outcome instanceof ExecutionOutcome.RetryableFailure r
                        ? r.partialResult()
                        : ((ExecutionOutcome.PermanentFailure) outcome).partialResult();
        return PostpurchaseJson.read(json, SystemeIoGrantAccessExecutor.Result.class, "result");
    }

    private List<FakeSystemeIo.Call> creates() {
        return fake.calls().stream()
                .filter(c -> c.line().equals("POST /api/contacts"))
                .toList();
    }

    private static final SystemeIoGrantAccessConfig COURSE =
            SystemeIoGrantAccessConfig.of("Course access", List.of("course-a", "vip"));

    @Test
    void createsANewContactAndAddsEveryTag() {
        long courseA = fake.addTag("course-a");
        long vip = fake.addTag("vip");

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        long contactId = fake.contactByEmail("ada@example.com").get("id").asLong();
        assertThat(fake.lines())
                .containsExactly(
                        "GET /api/contacts?email=ada%40example.com&limit=10",
                        "POST /api/contacts",
                        "GET /api/tags?limit=100&order=asc",
                        "POST /api/contacts/" + contactId + "/tags",
                        "POST /api/contacts/" + contactId + "/tags");
        List<FakeSystemeIo.Call> calls = fake.calls();
        assertThat(calls.get(1).body())
                .isEqualTo("{\"email\":\"ada@example.com\",\"locale\":\"en\",\"fields\":["
                        + "{\"slug\":\"first_name\",\"value\":\"Ada\"},"
                        + "{\"slug\":\"surname\",\"value\":\"Lovelace\"},"
                        + "{\"slug\":\"phone_number\",\"value\":\"+358401234567\"}]}");
        assertThat(calls.get(3).body()).isEqualTo("{\"tagId\":" + courseA + "}");
        assertThat(calls.get(4).body()).isEqualTo("{\"tagId\":" + vip + "}");
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.header("X-API-Key")).isEqualTo(FakeSystemeIo.KEY);
            assertThat(c.header("Accept")).isEqualTo("application/json");
        });
        assertThat(fake.tagNamesOf("ada@example.com")).containsExactly("course-a", "vip");
        assertThat(result(outcome))
                .isEqualTo(new SystemeIoGrantAccessExecutor.Result(
                        contactId, true, List.of("course-a", "vip"), List.of(), List.of(), null));
    }

    @Test
    void anExistingContactGetsOnlyTheTagsItLacks() {
        fake.addTag("course-a");
        long vip = fake.addTag("vip");
        long contactId = fake.addContact("ada@example.com", "course-a");

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(fake.lines())
                .containsExactly(
                        "GET /api/contacts?email=ada%40example.com&limit=10",
                        "GET /api/tags?limit=100&order=asc", "POST /api/contacts/" + contactId + "/tags");
        assertThat(fake.calls().get(2).body()).isEqualTo("{\"tagId\":" + vip + "}");
        assertThat(fake.assignments()).containsExactly(Map.entry(contactId + ":" + vip, 1));
        assertThat(result(outcome).tagsAlreadyPresent()).containsExactly("course-a");
        assertThat(result(outcome).contactCreated()).isFalse();
    }

    @Test
    void aContactThatHasEveryTagIsLeftAloneWithoutListingTags() {
        fake.addTag("course-a");
        fake.addTag("vip");
        fake.addContact("ada@example.com", "course-a", "vip");

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(fake.lines()).containsExactly("GET /api/contacts?email=ada%40example.com&limit=10");
        assertThat(fake.assignments()).isEmpty();
    }

    @Test
    void aReRunNeverAddsATagTwice() {
        fake.addTag("course-a");
        fake.addTag("vip");
        Order order = order("o-1", "ada@example.com", "course-1");

        run(COURSE, order);
        run(COURSE, order);
        run(COURSE, order);

        assertThat(fake.assignments()).hasSize(2).allSatisfy((pair, count) -> assertThat(count)
                .isEqualTo(1));
        assertThat(fake.contactCount()).isEqualTo(1);
    }

    @Test
    void aContactCreatedConcurrentlyIsReadAgainInsteadOfFailing() {
        long courseA = fake.addTag("course-a");
        fake.addTag("vip");
        // Another request creates the contact between our lookup and our create: the create answers 422
        // "email: This value is already used.".
        fake.beforeCreateContact(email -> fake.addContact(email, "course-a"));

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        long contactId = fake.contactByEmail("ada@example.com").get("id").asLong();
        assertThat(fake.lines())
                .containsExactly(
                        "GET /api/contacts?email=ada%40example.com&limit=10",
                        "POST /api/contacts",
                        "GET /api/contacts?email=ada%40example.com&limit=10",
                        "GET /api/tags?limit=100&order=asc",
                        "POST /api/contacts/" + contactId + "/tags");
        assertThat(fake.contactCount()).isEqualTo(1);
        assertThat(fake.assignments()).doesNotContainKey(contactId + ":" + courseA);
        assertThat(result(outcome).contactCreated()).isFalse();
        assertThat(fake.tagNamesOf("ada@example.com")).containsExactlyInAnyOrder("course-a", "vip");
    }

    @Test
    void resolvesTagsAcrossSeveralPagesOfTags() {
        IntStream.rangeClosed(1, 230).forEach(i -> fake.addTag("tag-" + i));
        long late = fake.tagId("tag-229");
        long early = fake.tagId("tag-3");
        SystemeIoGrantAccessConfig config = SystemeIoGrantAccessConfig.of("Paging", List.of("tag-229", "tag-3"));

        ExecutionOutcome outcome = run(config, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(fake.lines())
                .contains(
                        "GET /api/tags?limit=100&order=asc",
                        "GET /api/tags?limit=100&order=asc&startingAfter=100",
                        "GET /api/tags?limit=100&order=asc&startingAfter=200");
        long contactId = fake.contactByEmail("ada@example.com").get("id").asLong();
        assertThat(fake.assignments()).containsOnlyKeys(contactId + ":" + late, contactId + ":" + early);
    }

    @Test
    void tagsAreMatchedIgnoringCaseWhenNoExactNameExists() {
        long vip = fake.addTag("VIP");
        fake.addTag("course-a");

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        long contactId = fake.contactByEmail("ada@example.com").get("id").asLong();
        assertThat(fake.assignments()).containsKey(contactId + ":" + vip);
    }

    @Test
    void missingTagsFailPermanentlyNamingThemWhenCreatingIsNotAllowed() {
        fake.addTag("course-a");

        ExecutionOutcome outcome = run(
                SystemeIoGrantAccessConfig.of("x", List.of("course-a", "vip", "bonus")),
                order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.PermanentFailure.class, p -> assertThat(p.reason())
                .startsWith("tags not found in Systeme.io: 'vip', 'bonus'"));
        assertThat(fake.assignments()).isEmpty();
        assertThat(fake.tagCount()).isEqualTo(1);
    }

    @Test
    void missingTagsAreCreatedWhenAllowed() {
        fake.addTag("course-a");

        ExecutionOutcome outcome = run(
                new SystemeIoGrantAccessConfig("x", List.of("course-a", "vip"), true),
                order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(fake.lines()).contains("POST /api/tags");
        assertThat(fake.calls().stream()
                        .filter(c -> c.line().equals("POST /api/tags"))
                        .map(FakeSystemeIo.Call::body))
                .containsExactly("{\"name\":\"vip\"}");
        assertThat(fake.tagNamesOf("ada@example.com")).containsExactly("course-a", "vip");
        assertThat(result(outcome).tagsCreated()).containsExactly("vip");
    }

    @Test
    void tagIdsAreCachedPerKeyUntilTheTtlExpires() {
        fake.addTag("course-a");
        fake.addTag("vip");

        run(COURSE, order("o-1", "ada@example.com", "course-1"));
        run(COURSE, order("o-2", "grace@example.com", "course-1"));

        assertThat(fake.lines().stream().filter(l -> l.startsWith("GET /api/tags")))
                .hasSize(1);
    }

    @Test
    void aTagMissingFromTheCacheIsLookedUpAgain() {
        fake.addTag("course-a");
        fake.addTag("vip");
        run(COURSE, order("o-1", "ada@example.com", "course-1"));
        fake.addTag("bonus");

        ExecutionOutcome outcome = run(
                SystemeIoGrantAccessConfig.of("x", List.of("course-a", "bonus")),
                order("o-2", "grace@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(fake.lines().stream().filter(l -> l.startsWith("GET /api/tags")))
                .hasSize(2);
        assertThat(fake.tagNamesOf("grace@example.com")).containsExactly("course-a", "bonus");
    }

    @Test
    void aRefusedLocaleIsDroppedAndTheContactCreatedWithoutIt() {
        fake.restrictLocales("fr");
        fake.addTag("course-a");
        fake.addTag("vip");

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        List<FakeSystemeIo.Call> creates = fake.calls().stream()
                .filter(c -> c.line().equals("POST /api/contacts"))
                .toList();
        assertThat(creates).hasSize(2);
        assertThat(creates.get(1).body())
                .isEqualTo("{\"email\":\"ada@example.com\",\"fields\":["
                        + "{\"slug\":\"first_name\",\"value\":\"Ada\"},"
                        + "{\"slug\":\"surname\",\"value\":\"Lovelace\"},"
                        + "{\"slug\":\"phone_number\",\"value\":\"+358401234567\"}]}");
        assertThat(result(outcome).note())
                .isEqualTo("Systeme.io refused the locale 'en', created the contact without it: Systeme.io create"
                        + " contact failed with HTTP 422: locale: The value you selected is not a valid choice.");
    }

    @Test
    void aFinnishOrderCreatesTheContactWithoutALocaleInOneCall() {
        // Systeme.io's locale enum has no value for Finnish: sending "fi" is refused with 422.
        fake.addTag("course-a");
        fake.addTag("vip");

        ExecutionOutcome outcome = run(COURSE, order("o-1", "matti@example.com", "course-1", "fi-FI"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        List<FakeSystemeIo.Call> creates = creates();
        assertThat(creates).singleElement().satisfies(c -> assertThat(c.body())
                .isEqualTo("{\"email\":\"matti@example.com\",\"fields\":["
                        + "{\"slug\":\"first_name\",\"value\":\"Ada\"},"
                        + "{\"slug\":\"surname\",\"value\":\"Lovelace\"},"
                        + "{\"slug\":\"phone_number\",\"value\":\"+358401234567\"}]}"));
        assertThat(result(outcome).note()).isNull();
        assertThat(fake.tagNamesOf("matti@example.com")).containsExactly("course-a", "vip");
    }

    @Test
    void languagesWithNonIsoCodesInTheApiAreSentWithTheApisCodes() {
        fake.addTag("course-a");
        fake.addTag("vip");
        Map<String, String> sent = Map.of("ja-JP", "jp", "da", "dk", "nb-NO", "no", "uk", "ua", "pt-BR", "pt");

        sent.forEach((language, locale) -> {
            String email = locale + "-" + language.toLowerCase(java.util.Locale.ROOT) + "@example.com";
            ExecutionOutcome outcome = run(COURSE, order("o-" + language, email, "course-1", language));

            assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
            assertThat(fake.contactByEmail(email).get("locale").asText()).isEqualTo(locale);
        });
        assertThat(creates()).hasSize(sent.size());
    }

    @Test
    void aRefusalWithoutViolationsFailsWithoutCreatingTheContactOnLessData() {
        assertACreateRefusalFailsTheRunAsIs(
                FakeSystemeIo.problem(422, "Invalid contact data.", null),
                "Systeme.io create contact failed with HTTP 422: Invalid contact data.");
    }

    @Test
    void aRefusedFieldFailsInsteadOfCreatingTheContactWithoutNameAndPhone() {
        assertACreateRefusalFailsTheRunAsIs(
                FakeSystemeIo.problem(422, null, FakeSystemeIo.violation("fields[2].value", "This value is invalid.")),
                "Systeme.io create contact failed with HTTP 422: fields[2].value: This value is invalid.");
    }

    /** The create answers {@code refusal}: the run fails with {@code reason}, no second create on less data. */
    private void assertACreateRefusalFailsTheRunAsIs(MockResponse refusal, String reason) {
        fake.addTag("course-a");
        fake.addTag("vip");
        fake.scriptOnce(FakeSystemeIo.path("POST", "/api/contacts"), refusal);

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.PermanentFailure.class, p -> {
            assertThat(p.statusCode()).isEqualTo(422);
            assertThat(p.reason()).isEqualTo(reason);
        });
        assertThat(creates()).hasSize(1);
        assertThat(fake.contactByEmail("ada@example.com")).isNull();
    }

    @Test
    void a422ThatIsNotARaceFailsPermanentlyWithTheApisViolations() {
        fake.addTag("course-a");
        fake.scriptOnce(
                FakeSystemeIo.path("POST", "/api/contacts"),
                FakeSystemeIo.problem(
                        422, null, FakeSystemeIo.violation("email", "This value is not a valid email address.")));

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.PermanentFailure.class, p -> {
            assertThat(p.statusCode()).isEqualTo(422);
            assertThat(p.reason())
                    .isEqualTo("Systeme.io create contact failed with HTTP 422: email: This value is not a valid"
                            + " email address.");
        });
        assertThat(fake.lines())
                .containsExactly(
                        "GET /api/contacts?email=ada%40example.com&limit=10",
                        "POST /api/contacts", "GET /api/contacts?email=ada%40example.com&limit=10");
    }

    @Test
    void a429WithRetryAfterIsRetriedAfterThatWait() {
        fake.addTag("course-a");
        fake.addTag("vip");
        long contactId = fake.addContact("ada@example.com");
        fake.scriptOnce(
                FakeSystemeIo.path("POST", "/api/contacts/" + contactId + "/tags"),
                new MockResponse().setResponseCode(429).setHeader("Retry-After", "12"));

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isEqualTo(429);
            assertThat(r.failure().retryAfter()).isEqualTo(Duration.ofSeconds(12));
            assertThat(r.failure().timedOut()).isFalse();
        });
        assertThat(result(outcome).contactId()).isEqualTo(contactId);
    }

    @Test
    void a429WithoutRetryAfterIsRetriedAfterTheFallbackWait() {
        fake.scriptOnce(FakeSystemeIo.path("GET", "/api/contacts"), new MockResponse().setResponseCode(429));

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isEqualTo(429);
            assertThat(r.failure().retryAfter()).isEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    void aRetryAfterARateLimitFinishesTheJobWithoutRepeatingIt() {
        fake.addTag("course-a");
        fake.addTag("vip");
        long contactId = fake.addContact("ada@example.com");
        fake.scriptOnce(
                r -> "POST".equals(r.getMethod())
                        && r.getBody().snapshot().utf8().contains("\"tagId\":" + fake.tagId("vip")),
                new MockResponse().setResponseCode(429).setHeader("Retry-After", "0"));
        Order order = order("o-1", "ada@example.com", "course-1");

        ExecutionOutcome first = run(COURSE, order);
        ExecutionOutcome second = run(COURSE, order);

        assertThat(first).isInstanceOf(ExecutionOutcome.RetryableFailure.class);
        assertThat(result(first).tagsAdded()).containsExactly("course-a");
        assertThat(second).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(result(second).tagsAlreadyPresent()).containsExactly("course-a");
        assertThat(result(second).tagsAdded()).containsExactly("vip");
        assertThat(fake.assignments())
                .allSatisfy((pair, count) -> assertThat(count).isEqualTo(1));
        assertThat(fake.tagNamesOf("ada@example.com")).containsExactly("course-a", "vip");
        assertThat(contactId).isPositive();
    }

    @Test
    void a5xxIsRetryableWithItsStatus() {
        fake.scriptOnce(FakeSystemeIo.path("GET", "/api/contacts"), FakeSystemeIo.problem(502, "Bad Gateway", null));

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isEqualTo(502);
            assertThat(r.failure().retryAfter()).isNull();
            assertThat(r.failure().reason()).contains("HTTP 502");
        });
    }

    @Test
    void anInvalidKeyFailsPermanentlyWithoutShowingIt() {
        String wrong = "sk_live_revoked_99999999999999999999";
        settings.enable(SystemeIoIntegration.ID, Secret.of(wrong));

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.PermanentFailure.class, p -> {
            assertThat(p.statusCode()).isEqualTo(401);
            assertThat(p.reason()).contains("API key was refused").doesNotContain(wrong);
        });
        assertThat(fake.calls()).hasSize(1);
    }

    @Test
    void aTransportFailureIsRetryable() throws Exception {
        server.shutdown();

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.RetryableFailure.class);
    }

    @Test
    void validationNeedsTheIntegrationEnabledWithAKey() {
        executor().validate(COURSE);

        settings.disable(SystemeIoIntegration.ID);
        assertThatThrownBy(() -> ActionExecutors.validateConfig(executor(), COURSE))
                .isInstanceOfSatisfying(IntegrationNotEnabledException.class, e -> assertThat(e.integration())
                        .isEqualTo("systemeio"));

        settings.enable(SystemeIoIntegration.ID, Secret.of(" "));
        assertThatThrownBy(() -> ActionExecutors.validateConfig(executor(), COURSE))
                .isInstanceOf(IntegrationNotEnabledException.class);
    }

    @Test
    void validationNamesEveryBadField() {
        SystemeIoGrantAccessConfig bad = new SystemeIoGrantAccessConfig(
                " ", java.util.Arrays.asList("ok", "", "OK", "x".repeat(256), "bad\nname", null), false);

        assertThatThrownBy(() -> executor().validate(bad))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                        .containsExactly("name", "tags[1]", "tags[2]", "tags[3]", "tags[4]", "tags[5]"));
        assertThatThrownBy(() -> executor().validate(SystemeIoGrantAccessConfig.of("x", List.of())))
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("tags"));
    }

    @Test
    void tagNamesLongerThanSystemeIosSixtyFourCharactersAreRefusedByValidation() {
        String longest = "t".repeat(64);
        executor().validate(SystemeIoGrantAccessConfig.of("Course access", List.of("course-a", "vip", longest)));

        SystemeIoGrantAccessConfig tooLong =
                SystemeIoGrantAccessConfig.of("Course access", List.of("course-a", "vip", longest + "t"));

        assertThatThrownBy(() -> executor().validate(tooLong)).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.fields()).containsExactly("tags[2]");
            assertThat(e.violations().get(0).message()).isEqualTo("must be at most 64 characters");
        });
        // 64 characters, not 64 UTF-16 units: an emoji is one character.
        executor().validate(SystemeIoGrantAccessConfig.of("x", List.of("\uD83C\uDF93".repeat(64))));
    }

    @Test
    void anAttemptAfterTheIntegrationWasSwitchedOffFailsPermanentlyWithoutCalling() {
        settings.disable(SystemeIoIntegration.ID);

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.PermanentFailure.class, p -> assertThat(p.reason())
                .contains("Systeme.io integration is disabled"));
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void declaresItselfIdempotentWithARetryingPolicy() {
        assertThat(executor().idempotent()).isTrue();
        assertThat(executor().type()).isEqualTo("systemeio-grant-access");
        assertThat(executor().defaultRetryPolicy().nextDelay(1, dev.postpurchase.core.retry.Failure.of("x")))
                .isPresent();
    }

    @Test
    void aTagDeletedInSystemeIoIsResolvedAgainOnTheNextAttempt() {
        fake.addTag("course-a");
        long vip = fake.addTag("vip");
        run(COURSE, order("o-1", "ada@example.com", "course-1"));
        long contactId = fake.addContact("grace@example.com");
        fake.scriptOnce(
                r -> "POST".equals(r.getMethod())
                        && r.getBody().snapshot().utf8().equals("{\"tagId\":" + vip + "}"),
                FakeSystemeIo.problem(404, "Tag not found", null));

        ExecutionOutcome first = run(COURSE, order("o-2", "grace@example.com", "course-1"));
        ExecutionOutcome second = run(COURSE, order("o-2", "grace@example.com", "course-1"));

        assertThat(first).isInstanceOfSatisfying(ExecutionOutcome.RetryableFailure.class, r -> assertThat(
                        r.failure().reason())
                .contains("tag 'vip' (id " + vip + ") was not found"));
        assertThat(second).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(fake.lines().stream().filter(l -> l.startsWith("GET /api/tags")))
                .as("listed once for o-1, once again after the 404")
                .hasSize(2);
        assertThat(fake.tagNamesOf("grace@example.com")).containsExactly("course-a", "vip");
        assertThat(contactId).isPositive();
    }

    @Test
    void aRefusedAssignmentCountsWhenTheContactHasTheTagAfterAll() {
        fake.addTag("course-a");
        long vip = fake.addTag("vip");
        long contactId = fake.addContact("ada@example.com", "course-a");
        fake.scriptOnce(
                r -> {
                    boolean match = "POST".equals(r.getMethod())
                            && ("/api/contacts/" + contactId + "/tags").equals(r.getPath());
                    if (match) {
                        // Systeme.io applied the tag but answered with an error.
                        fake.addContactTagForTest("ada@example.com", "vip");
                    }
                    return match;
                },
                FakeSystemeIo.problem(400, "Tag already assigned", null));

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        assertThat(fake.lines())
                .endsWith("POST /api/contacts/" + contactId + "/tags", "GET /api/contacts/" + contactId);
        assertThat(result(outcome).tagsAlreadyPresent()).containsExactly("course-a", "vip");
        assertThat(fake.assignments()).doesNotContainKey(contactId + ":" + vip);
    }

    @Test
    void aSuccessReportingNoQuotaLeftHoldsTheNextCallsBack() {
        SystemeIoThrottle throttle = SystemeIoThrottle.builder()
                .permitsPerSecond(10_000)
                .burst(10_000)
                .maxWait(Duration.ZERO)
                .build();
        integration = integrationWith(throttle);
        fake.scriptOnce(
                FakeSystemeIo.path("GET", "/api/contacts"),
                new MockResponse()
                        .setResponseCode(200)
                        .setHeader("X-RateLimit-Remaining", "0")
                        .setHeader("X-RateLimit-Refill", "30")
                        .setBody("{\"items\":[],\"hasMore\":false}"));

        ExecutionOutcome outcome = run(COURSE, order("o-1", "ada@example.com", "course-1"));

        assertThat(outcome).isInstanceOfSatisfying(ExecutionOutcome.RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isNull();
            assertThat(r.failure().retryAfter()).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30));
        });
        assertThat(fake.lines()).containsExactly("GET /api/contacts?email=ada%40example.com&limit=10");
    }
}
