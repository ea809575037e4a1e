package dev.latchkey.server.upstream;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfileFieldsTest {

    @Test
    void aNumericIdBecomesItsDecimalString() {
        ProfileFields fields = new ProfileFields(Map.of("user_id", "id"));
        assertThat(fields.subject(Map.of("id", 583231))).isEqualTo("583231");
        assertThat(fields.subject(Map.of("id", 12345678901234L))).isEqualTo("12345678901234");
        assertThat(fields.subject(Map.of("id", new BigInteger("123456789012345678901234")))).isEqualTo(
                "123456789012345678901234");
    }

    @Test
    void anIdThatIsNeitherAStringNorAnIntegerIsRefused() {
        ProfileFields fields = new ProfileFields(Map.of("user_id", "id"));
        for (Object id : List.of(1.5, true, Map.of("value", 1), List.of(1), "  ")) {
            assertThatThrownBy(() -> fields.subject(Map.of("id", id))).as(String.valueOf(id))
                    .isInstanceOf(UpstreamException.class);
        }
        assertThatThrownBy(() -> fields.subject(Map.of("login", "octocat"))).isInstanceOf(UpstreamException.class)
                .hasMessageContaining("no user id");
    }

    @Test
    void withoutAMappedIdItIsSubThenIdThenUserId() {
        ProfileFields fields = new ProfileFields(null);
        assertThat(fields.subject(Map.of("sub", "s", "id", 1))).isEqualTo("s");
        assertThat(fields.subject(Map.of("id", 1, "user_id", "u"))).isEqualTo("1");
        assertThat(fields.subject(Map.of("user_id", "u"))).isEqualTo("u");
    }

    @Test
    void attributesFollowDottedPathsAndOnlyTheMapSaysWhatTheyAre() {
        ProfileFields fields = new ProfileFields(Map.of("picture", "picture.data.url", "nickname", "login"));
        Map<String, Object> claims = fields.claims(Map.of("login", "octocat", "email", "o@example.com",
                "picture", Map.of("data", Map.of("url", "https://pics.example/o.png")), "public_repos", 8,
                "nickname", "from-the-provider"));
        assertThat(claims).containsEntry("picture", "https://pics.example/o.png").containsEntry("nickname", "octocat")
                .containsEntry("email", "o@example.com").containsEntry("public_repos", 8)
                .doesNotContainKey("email_verified");
    }

    @Test
    void anEmailIsVerifiedOnlyWhenTheProviderSaysTrue() {
        ProfileFields fields = new ProfileFields(Map.of());
        assertThat(fields.claims(Map.of("email", "a@example.com", "email_verified", "true")))
                .doesNotContainKey("email_verified");
        assertThat(fields.claims(Map.of("email", "a@example.com", "email_verified", true)))
                .containsEntry("email_verified", true);
    }
}
