package dev.latchkey.server.peers;

import com.auth0.client.auth.AuthAPI;
import com.auth0.client.mgmt.ManagementApi;
import com.auth0.client.mgmt.core.ManagementApiException;
import com.auth0.client.mgmt.types.DeleteUserIdentityResponseContentItem;
import com.auth0.client.mgmt.types.UserId;
import com.auth0.client.mgmt.types.UserIdentity;
import com.auth0.client.mgmt.types.UserIdentityProviderEnum;
import com.auth0.client.mgmt.users.types.LinkUserIdentityRequestContent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Auth0 Java SDK ({@code com.auth0:auth0}) {@code ManagementApi} linking accounts (Auth0 "Link a user
 * account", "Unlink a user identity"): {@code users().identities().link(...)} by provider and user id, and by
 * {@code link_with} with the secondary's ID token from {@code AuthAPI.login(...)} for the same application that
 * holds the Management API token (Auth0: the ID token's aud must be the token's azp);
 * {@code users().identities().delete(...)}; and a refusal read as Auth0's error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Auth0JavaSdkLinkingPeerTest {

    private static final String REALM = "Username-Password-Authentication";

    private TestServer server;
    private String httpBase;
    private JsonNode backend;
    private ManagementApi management;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        httpBase = "http://127.0.0.1:" + server.latchkey().port();
        // One regular web application that logs users in and calls the Management API for itself.
        backend = server.createClient("""
                {"name":"Linking backend","app_type":"regular_web",
                 "grant_types":["client_credentials","http://auth0.com/oauth/grant-type/password-realm"]}""");
        server.grant(backend.path("client_id").asText(), server.managementAudience(), "read:users", "update:users");
        String token = auth().requestToken(server.managementAudience()).execute().getBody().getAccessToken();
        management = ManagementApi.builder().url(httpBase + "/api/v2").token(token).build();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private AuthAPI auth() {
        return AuthAPI.newBuilder(httpBase, backend.path("client_id").asText(), backend.path("client_secret").asText())
                .build();
    }

    @Test
    void linksByUserIdAndByIdTokenThenUnlinks() throws Exception {
        User primary = TestUsers.create(server, "java-primary@example.com");
        User byId = TestUsers.create(server, "java-by-id@example.com");
        User byToken = TestUsers.create(server, "java-by-token@example.com");

        List<UserIdentity> afterFirst = management.users().identities().link(primary.userId(),
                LinkUserIdentityRequestContent.builder().provider(UserIdentityProviderEnum.AUTH0)
                        .userId(UserId.of(byId.idWithinConnection())).build());
        assertThat(afterFirst).extracting(identity -> identity.getUserId().get())
                .containsExactly(primary.idWithinConnection(), byId.idWithinConnection());
        assertThat(afterFirst.get(1).getConnection()).isEqualTo(REALM);
        assertThat(afterFirst.get(1).getProfileData()).isPresent();

        String idToken = auth().login(byToken.email(), TestUsers.PASSWORD.toCharArray(), REALM).setScope("openid")
                .execute().getBody().getIdToken();
        List<UserIdentity> afterSecond = management.users().identities().link(primary.userId(),
                LinkUserIdentityRequestContent.builder().linkWith(idToken).build());
        assertThat(afterSecond).extracting(UserIdentity::getProvider).containsExactly("auth0", "auth0", "auth0");
        assertThat(afterSecond.get(2).getUserId().get()).isEqualTo(byToken.idWithinConnection());
        assertThat(management.users().get(primary.userId()).getIdentities().orElseThrow()).hasSize(3);

        List<DeleteUserIdentityResponseContentItem> left = management.users().identities().delete(primary.userId(),
                UserIdentityProviderEnum.AUTH0, byId.idWithinConnection());
        assertThat(left).extracting(DeleteUserIdentityResponseContentItem::getUserId)
                .containsExactly(primary.idWithinConnection(), byToken.idWithinConnection());
        assertThat(management.users().get(byId.userId()).getEmail()).contains("java-by-id@example.com");

        // Auth0: the primary's own identity cannot be unlinked.
        ManagementApiException refused = catchThrowableOfType(ManagementApiException.class, () ->
                management.users().identities().delete(primary.userId(), UserIdentityProviderEnum.AUTH0,
                        primary.idWithinConnection()));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body().toString()).contains("main identity");
    }
}
