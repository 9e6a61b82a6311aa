package dev.postpurchase.systemeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelAndConfigTest {

    @Test
    void aNewContactNamesEveryBadField() {
        assertThatThrownBy(() -> NewContact.builder("not-an-email")
                        .firstName("x".repeat(256))
                        .surname("bad\r\nvalue")
                        .locale("en-US")
                        .build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                        .containsExactly("email", "firstName", "surname", "locale"));
    }

    @Test
    void aNewContactTreatsBlankValuesAsAbsentAndSendsItsFieldsInOrder() {
        NewContact contact = NewContact.builder("ada@example.com")
                .firstName(" Ada ")
                .surname("  ")
                .phone("+3581")
                .build();

        assertThat(contact.fields())
                .containsExactly(
                        new ContactField(ContactField.FIRST_NAME, "Ada"),
                        new ContactField(ContactField.PHONE_NUMBER, "+3581"));
    }

    @Test
    void theLocaleIsTheApisCodeForTheOrdersPrimaryLanguage() {
        assertThat(NewContact.localeOf("en-GB")).isEqualTo("en");
        assertThat(NewContact.localeOf("zh_Hant_TW")).isEqualTo("zh");
        assertThat(NewContact.localeOf("SV")).isEqualTo("sv");
        // The API's enum uses non-ISO codes for these four.
        assertThat(NewContact.localeOf("ja-JP")).isEqualTo("jp");
        assertThat(NewContact.localeOf("da")).isEqualTo("dk");
        assertThat(NewContact.localeOf("nb-NO")).isEqualTo("no");
        assertThat(NewContact.localeOf("nn")).isEqualTo("no");
        assertThat(NewContact.localeOf("no")).isEqualTo("no");
        assertThat(NewContact.localeOf("uk-UA")).isEqualTo("ua");
        // And has no value for these: no locale is sent.
        assertThat(NewContact.localeOf("FI")).isNull();
        assertThat(NewContact.localeOf("et-EE")).isNull();
        assertThat(NewContact.localeOf("he")).isNull();
        assertThat(NewContact.localeOf("yue")).isNull();
        assertThat(NewContact.localeOf(null)).isNull();
    }

    @Test
    void aContactsLocaleMustBeOneTheApiLists() {
        assertThat(NewContact.builder("a@example.com").locale("jp").build().locale())
                .isEqualTo("jp");
        assertThatThrownBy(
                        () -> NewContact.builder("a@example.com").locale("fi").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.fields()).containsExactly("locale");
                    assertThat(e.getMessage()).contains("one of Systeme.io's locales");
                });
        assertThatThrownBy(() -> ContactUpdate.builder().locale("ja").build())
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("locale"));
    }

    @Test
    void aRevokeConfigRefusesTagNamesLongerThanSixtyFourCharacters() {
        assertThatThrownBy(() -> SystemeIoRevokeAccessConfig.of("x", List.of("ok", "t".repeat(65)))
                        .validate())
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("tags[1]"));
    }

    @Test
    void anUpdateMustChangeSomethingValid() {
        assertThatThrownBy(() -> ContactUpdate.builder().build())
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("fields"));
        assertThatThrownBy(() -> ContactUpdate.builder()
                        .field("bad slug", "x")
                        .field("ok", "y".repeat(300))
                        .build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                        .containsExactly("fields[0].slug", "fields[1].value"));
    }

    @Test
    void aGrantConfigReadsFromJsonWithCreatingMissingTagsOffByDefault() {
        SystemeIoGrantAccessConfig config = PostpurchaseJson.read(
                "{\"name\":\"Course access\",\"tags\":[\" course-a \",\"vip\"]}",
                SystemeIoGrantAccessConfig.class,
                "config");

        assertThat(config.createMissingTags()).isFalse();
        assertThat(config.tagNames()).containsExactly("course-a", "vip");
        config.validate();
        assertThat(PostpurchaseJson.read(PostpurchaseJson.write(config), SystemeIoGrantAccessConfig.class, "config"))
                .isEqualTo(config);
    }

    @Test
    void aGrantConfigWithoutTagsIsInvalidNotBroken() {
        SystemeIoGrantAccessConfig config =
                PostpurchaseJson.read("{\"name\":\"x\"}", SystemeIoGrantAccessConfig.class, "config");

        assertThatThrownBy(config::validate)
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("tags"));
    }

    @Test
    void duplicateTagNamesAreRefusedIgnoringCase() {
        assertThatThrownBy(() -> SystemeIoGrantAccessConfig.of("x", List.of("VIP", "vip "))
                        .validate())
                .isInstanceOfSatisfying(
                        ValidationException.class,
                        e -> assertThat(e.violations()).singleElement().satisfies(v -> {
                            assertThat(v.field()).isEqualTo("tags[1]");
                            assertThat(v.message()).isEqualTo("repeats the tag 'vip'");
                        }));
    }

    @Test
    void aRevokeScopeMatchesProductsOffersOrCheckouts() {
        var order = FakeSystemeIoTest.order("o-1", "ada@example.com", "course-1");

        assertThat(new SystemeIoRevokeAccessConfig("x", List.of("a"), ActionLevel.PRODUCT, "course-1").appliesTo(order))
                .isTrue();
        assertThat(new SystemeIoRevokeAccessConfig("x", List.of("a"), ActionLevel.PRODUCT, "course-2").appliesTo(order))
                .isFalse();
        assertThat(new SystemeIoRevokeAccessConfig("x", List.of("a"), ActionLevel.OFFER, "offer-1").appliesTo(order))
                .isTrue();
        assertThat(new SystemeIoRevokeAccessConfig("x", List.of("a"), ActionLevel.CHECKOUT, "checkout-1")
                        .appliesTo(order))
                .isTrue();
        assertThat(SystemeIoRevokeAccessConfig.of("x", List.of("a")).appliesTo(order))
                .isTrue();
    }

    @Test
    void violationsMatchTheirPropertyAndSubPaths() {
        ApiViolation field = new ApiViolation("fields[2].value", "This value is too long.", null);

        assertThat(field.concerns("fields")).isTrue();
        assertThat(field.concerns("field")).isFalse();
        assertThat(new ApiViolation("email", "x", null).concerns("email")).isTrue();
        assertThat(new ApiViolation("", "Generic", null).toString()).isEqualTo("Generic");
    }
}
