package dev.postpurchase.systemeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.http.GuardedHttpClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

class SystemeIoClientTest extends FakeSystemeIoTest {

    @Test
    void findsAContactByEmailWithItsTagsSendingKeyAndAcceptHeaders() {
        fake.addTag("course-a");
        long id = fake.addContact("ada@example.com", "course-a");

        SystemeIoContact contact =
                client().findContactByEmail("Ada@Example.com").orElseThrow();

        assertThat(contact.id()).isEqualTo(id);
        assertThat(contact.tags()).containsExactly(new SystemeIoTag(fake.tagId("course-a"), "course-a"));
        FakeSystemeIo.Call call = fake.calls().get(0);
        assertThat(call.line()).isEqualTo("GET /api/contacts?email=Ada%40Example.com&limit=10");
        assertThat(call.header("X-API-Key")).isEqualTo(FakeSystemeIo.KEY);
        assertThat(call.header("Accept")).isEqualTo("application/json");
        assertThat(call.body()).isEmpty();
    }

    @Test
    void findReturnsEmptyWhenNoContactHasTheEmail() {
        fake.addContact("someone@example.com");

        assertThat(client().findContactByEmail("ada@example.com")).isEmpty();
    }

    @Test
    void createsAContactWithNameAndPhoneAsFieldsAndTheLocale() {
        SystemeIoContact created = client().createContact(NewContact.builder("ada@example.com")
                .firstName("Ada")
                .surname("Lovelace")
                .phone("+358401234567")
                .locale("en")
                .build());

        FakeSystemeIo.Call call = fake.calls().get(0);
        assertThat(call.line()).isEqualTo("POST /api/contacts");
        assertThat(call.header("Content-Type")).isEqualTo("application/json");
        assertThat(call.body())
                .isEqualTo("{\"email\":\"ada@example.com\",\"locale\":\"en\",\"fields\":["
                        + "{\"slug\":\"first_name\",\"value\":\"Ada\"},"
                        + "{\"slug\":\"surname\",\"value\":\"Lovelace\"},"
                        + "{\"slug\":\"phone_number\",\"value\":\"+358401234567\"}]}");
        assertThat(created.email()).isEqualTo("ada@example.com");
        assertThat(created.field(ContactField.FIRST_NAME)).contains("Ada");
        assertThat(created.locale()).isEqualTo("en");
    }

    @Test
    void createLeavesOutWhatIsNotKnown() {
        client().createContact(NewContact.builder("ada@example.com").build());

        assertThat(fake.calls().get(0).body()).isEqualTo("{\"email\":\"ada@example.com\"}");
    }

    @Test
    void updatesAContactWithAMergePatch() {
        long id = fake.addContact("ada@example.com");

        SystemeIoContact updated = client().updateContact(
                        id, ContactUpdate.builder().surname("King").phone(null).build());

        FakeSystemeIo.Call call = fake.calls().get(0);
        assertThat(call.line()).isEqualTo("PATCH /api/contacts/" + id);
        assertThat(call.header("Content-Type")).isEqualTo("application/merge-patch+json");
        assertThat(call.body())
                .isEqualTo("{\"fields\":[{\"slug\":\"surname\",\"value\":\"King\"},"
                        + "{\"slug\":\"phone_number\",\"value\":null}]}");
        assertThat(updated.field(ContactField.SURNAME)).contains("King");
    }

    @Test
    void listsEveryTagAcrossSeveralPagesFollowingTheCursor() {
        IntStream.rangeClosed(1, 250).forEach(i -> fake.addTag("tag-" + i));

        List<SystemeIoTag> tags = client().listTags();

        assertThat(tags).hasSize(250);
        assertThat(tags)
                .extracting(SystemeIoTag::name)
                .startsWith("tag-1", "tag-2")
                .endsWith("tag-250");
        assertThat(fake.lines())
                .containsExactly(
                        "GET /api/tags?limit=100&order=asc",
                        "GET /api/tags?limit=100&order=asc&startingAfter=100",
                        "GET /api/tags?limit=100&order=asc&startingAfter=200");
    }

    @Test
    void listsOnePageWhenEverythingFits() {
        fake.addTag("only");

        assertThat(client().listTags()).extracting(SystemeIoTag::name).containsExactly("only");
        assertThat(fake.lines()).containsExactly("GET /api/tags?limit=100&order=asc");
    }

    @Test
    void refusesPageSizesTheApiDoesNotServe() {
        assertThatThrownBy(() -> client().listTags(null, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void refusesTagNamesLongerThanTheApiTakesWithoutCalling() {
        assertThatThrownBy(() -> client().createTag("t".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name must be at most 64 characters");
        assertThat(fake.calls()).isEmpty();
        assertThat(client().createTag("t".repeat(64)).name()).hasSize(64);
    }

    @Test
    void createsATagAndAssignsAndRemovesIt() {
        long contactId = fake.addContact("ada@example.com");

        SystemeIoTag tag = client().createTag("course-b");
        client().addTagToContact(contactId, tag.id());
        boolean removed = client().removeTagFromContact(contactId, tag.id());
        boolean removedAgain = client().removeTagFromContact(contactId, tag.id());

        assertThat(removed).isTrue();
        assertThat(removedAgain).isFalse();
        List<FakeSystemeIo.Call> calls = fake.calls();
        assertThat(calls.get(0).line()).isEqualTo("POST /api/tags");
        assertThat(calls.get(0).body()).isEqualTo("{\"name\":\"course-b\"}");
        assertThat(calls.get(1).line()).isEqualTo("POST /api/contacts/" + contactId + "/tags");
        assertThat(calls.get(1).header("Content-Type")).isEqualTo("application/json");
        assertThat(calls.get(1).body()).isEqualTo("{\"tagId\":" + tag.id() + "}");
        assertThat(calls.get(2).line()).isEqualTo("DELETE /api/contacts/" + contactId + "/tags/" + tag.id());
        assertThat(calls.get(2).body()).isEmpty();
    }

    @Test
    void a422CarriesTheApisViolations() {
        fake.addContact("ada@example.com");

        assertThatThrownBy(() -> client().createContact(
                                NewContact.builder("ada@example.com").build()))
                .isInstanceOfSatisfying(SystemeIoValidationException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(422);
                    assertThat(e.violations())
                            .containsExactly(new ApiViolation(
                                    "email", "This value is already used.", "c1051bb4-d103-4f74-8988-acbcafc7fdc3"));
                    assertThat(e.hasViolationFor("email")).isTrue();
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage())
                            .isEqualTo("Systeme.io create contact failed with HTTP 422: email: This value is already"
                                    + " used.");
                });
    }

    @Test
    void a429WithRetryAfterCarriesTheWaitAndPausesTheThrottle() {
        fake.scriptOnce(
                FakeSystemeIo.path("GET", "/api/tags"),
                new MockResponse().setResponseCode(429).setHeader("Retry-After", "17"));

        assertThatThrownBy(() -> client().listTags()).isInstanceOfSatisfying(SystemeIoRateLimitedException.class, e -> {
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(17));
            assertThat(e.announced()).isTrue();
            assertThat(e.fromServer()).isTrue();
            assertThat(e.retryable()).isTrue();
        });
        // The throttle now holds calls with this key back, and it may block at most 15 s: the next call is refused
        // locally, without reaching the API.
        int before = fake.calls().size();
        assertThatThrownBy(() -> client().listTags()).isInstanceOfSatisfying(SystemeIoRateLimitedException.class, e -> {
            assertThat(e.fromServer()).isFalse();
            assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(17));
        });
        assertThat(fake.calls()).hasSize(before);
    }

    @Test
    void a429WithoutRetryAfterUsesTheRefillHeader() {
        fake.scriptOnce(
                FakeSystemeIo.path("GET", "/api/contacts"),
                new MockResponse()
                        .setResponseCode(429)
                        .setHeader("X-RateLimit-Limit", "60")
                        .setHeader("X-RateLimit-Remaining", "0")
                        .setHeader("X-RateLimit-Refill", "42"));

        assertThatThrownBy(() -> client().findContactByEmail("ada@example.com"))
                .isInstanceOfSatisfying(SystemeIoRateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(42));
                    assertThat(e.announced()).isTrue();
                });
    }

    @Test
    void a429WithoutAnyHintFallsBackToTheConfiguredWait() {
        fake.scriptOnce(FakeSystemeIo.path("GET", "/api/contacts"), new MockResponse().setResponseCode(429));

        assertThatThrownBy(() -> client().findContactByEmail("ada@example.com"))
                .isInstanceOfSatisfying(SystemeIoRateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60));
                    assertThat(e.announced()).isFalse();
                    assertThat(e.getMessage()).contains("no Retry-After or X-RateLimit-Refill sent");
                });
    }

    @Test
    void a5xxIsARetryableServerError() {
        fake.scriptOnce(
                FakeSystemeIo.path("GET", "/api/contacts"), FakeSystemeIo.problem(503, "Service Unavailable", null));

        assertThatThrownBy(() -> client().findContactByEmail("ada@example.com"))
                .isInstanceOfSatisfying(SystemeIoServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage())
                            .isEqualTo("Systeme.io find contact by email failed with HTTP 503: Service Unavailable");
                });
    }

    @Test
    void anInvalidKeyIsAnAuthenticationErrorThatNeverShowsTheKey() {
        String wrongKey = "sk_live_wrong_0000000000000000000000";
        SystemeIoClient client = integration.client(Secret.of(wrongKey));

        assertThatThrownBy(() -> client.findContactByEmail("ada@example.com"))
                .isInstanceOfSatisfying(SystemeIoAuthenticationException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("API key was refused").doesNotContain(wrongKey);
                });
        assertThat(fake.calls().get(0).header("X-API-Key")).isEqualTo(wrongKey);
        assertThat(client.toString()).doesNotContain(wrongKey);
    }

    @Test
    void aKeyEchoedByThePeerIsScrubbedFromMessages() {
        fake.scriptOnce(
                FakeSystemeIo.path("GET", "/api/contacts"),
                FakeSystemeIo.problem(403, "key " + FakeSystemeIo.KEY + " lacks the contacts scope", null));

        assertThatThrownBy(() -> client().findContactByEmail("ada@example.com"))
                .isInstanceOf(SystemeIoAuthenticationException.class)
                .hasMessageContaining("key *** lacks the contacts scope")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(FakeSystemeIo.KEY));
    }

    @Test
    void anUnreadableSuccessBodyIsARetryableServerError() {
        fake.scriptOnce(
                FakeSystemeIo.path("GET", "/api/tags"),
                new MockResponse().setResponseCode(200).setBody("<html>maintenance</html>"));

        assertThatThrownBy(() -> client().listTags())
                .isInstanceOf(SystemeIoServerException.class)
                .hasMessageContaining("unreadable body");
    }

    @Test
    void readsIdsGivenAsApiPlatformIris() {
        fake.scriptOnce(
                FakeSystemeIo.path("POST", "/api/tags"),
                new MockResponse().setResponseCode(201).setBody("{\"@id\":\"/api/tags/77\",\"name\":\"vip\"}"));

        assertThat(client().createTag("vip")).isEqualTo(new SystemeIoTag(77, "vip"));
    }

    @Test
    void theProductionDefaultIsHttpsAndPlainHttpOrLoopbackNeedTheDevelopmentAllowList() {
        assertThat(SystemeIoClient.DEFAULT_BASE_URL).isEqualTo("https://api.systeme.io");
        try (GuardedHttpClient strict = GuardedHttpClient.createDefault();
                GuardedHttpClient httpButNoAllowList =
                        GuardedHttpClient.builder().allowHttp(true).build()) {
            assertThatThrownBy(() -> SystemeIoClient.builder()
                            .apiKey(Secret.of(FakeSystemeIo.KEY))
                            .http(strict)
                            .baseUrl(baseUrl())
                            .build())
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("baseUrl"));
            assertThatThrownBy(() -> SystemeIoClient.builder()
                            .apiKey(Secret.of(FakeSystemeIo.KEY))
                            .http(httpButNoAllowList)
                            .baseUrl(baseUrl())
                            .build())
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage())
                            .contains("blocked"));
            SystemeIoClient production = SystemeIoClient.builder()
                    .apiKey(Secret.of(FakeSystemeIo.KEY))
                    .http(strict)
                    .build();
            assertThat(production.toString()).doesNotContain(FakeSystemeIo.KEY);
        }
    }

    @Test
    void theBuilderNamesAMissingKey() {
        assertThatThrownBy(() ->
                        SystemeIoClient.builder().http(http).baseUrl(baseUrl()).build())
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("apiKey"));
    }
}
