package dev.latchkey.server.upstream;

import dev.latchkey.server.identity.Connection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SocialPresetsTest {

    private static Connection connection(String strategy, Map<String, Object> options) {
        return Connection.of("con_1", strategy, strategy, null, List.of(), options, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    @SuppressWarnings("unchecked")
    void githubGetsGithubsEndpointsScopeAndFieldsUnlessTheConnectionSaysOtherwise() {
        Connection github = SocialPresets.effective(connection("github", Map.of("client_id", "x",
                "tokenURL", "https://ghe.example/login/oauth/access_token", "fieldsMap", Map.of("name", "login"))));
        assertThat(SocialPresets.openId(github)).isFalse();
        assertThat(github.options()).containsEntry("authorizationURL", "https://github.com/login/oauth/authorize")
                .containsEntry("tokenURL", "https://ghe.example/login/oauth/access_token")
                .containsEntry("userEmailsURL", "https://api.github.com/user/emails")
                .containsEntry("scope", "read:user user:email");
        // fieldsMap merged attribute by attribute.
        assertThat((Map<Object, Object>) github.options().get("fieldsMap")).containsEntry("name", "login")
                .containsEntry("user_id", "id");
    }

    @Test
    void googleAndAppleRideTheOidcPathAtTheirIssuerUnlessGivenADiscoveryUrl() {
        Connection google = SocialPresets.effective(connection("google-oauth2", Map.of("client_id", "x",
                "scope", List.of("email", "profile"))));
        assertThat(SocialPresets.openId(google)).isTrue();
        assertThat(google.options()).containsEntry("issuer", "https://accounts.google.com")
                .containsEntry("scope", "openid email profile");
        Connection local = SocialPresets.effective(connection("apple", Map.of("client_id", "x",
                "discovery_url", "http://127.0.0.1:1/.well-known/openid-configuration")));
        assertThat(local.options()).doesNotContainKey("issuer").containsEntry("scope", "openid name email");
    }

    @Test
    void appleAsksForNameAndEmailWithAFormPostUnlessBothAreTurnedOff() {
        // Apple answers a request for name or email only with response_mode=form_post.
        Connection both = SocialPresets.effective(connection("apple", Map.of("client_id", "x")));
        assertThat(both.options()).containsEntry("scope", "openid name email")
                .containsEntry(SocialPresets.RESPONSE_MODE, SocialPresets.FORM_POST);
        Connection emailOnly = SocialPresets.effective(connection("apple", Map.of("client_id", "x", "name", false)));
        assertThat(emailOnly.options()).containsEntry("scope", "openid email")
                .containsEntry(SocialPresets.RESPONSE_MODE, SocialPresets.FORM_POST);
        Connection neither = SocialPresets.effective(connection("apple", Map.of("client_id", "x", "name", false,
                "email", false)));
        assertThat(neither.options()).containsEntry("scope", "openid")
                .doesNotContainKey(SocialPresets.RESPONSE_MODE);
        Connection google = SocialPresets.effective(connection("google-oauth2", Map.of("client_id", "x")));
        assertThat(google.options()).doesNotContainKey(SocialPresets.RESPONSE_MODE);
    }

    @Test
    void oidcConnectionsAreLeftAsTheyAre() {
        Connection oidc = connection("oidc", Map.of("issuer", "https://idp.example", "scope", "openid"));
        assertThat(SocialPresets.effective(oidc)).isSameAs(oidc);
        assertThat(SocialPresets.openId(oidc)).isTrue();
        Connection oauth2 = SocialPresets.effective(connection("oauth2", Map.of("scope", List.of("a", "b"))));
        assertThat(oauth2.options()).containsEntry("scope", "a b");
        assertThat(SocialPresets.openId(oauth2)).isFalse();
    }
}
