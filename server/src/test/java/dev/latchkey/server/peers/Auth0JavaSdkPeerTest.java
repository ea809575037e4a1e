package dev.latchkey.server.peers;

import com.auth0.client.auth.AuthAPI;
import com.auth0.client.mgmt.ManagementApi;
import com.auth0.client.mgmt.types.Client;
import com.auth0.client.mgmt.types.CreateResourceServerRequestContent;
import com.auth0.client.mgmt.types.CreateResourceServerResponseContent;
import com.auth0.client.mgmt.types.ListClientsRequestParameters;
import com.auth0.client.mgmt.types.ListResourceServerRequestParameters;
import com.auth0.client.mgmt.types.ResourceServer;
import com.auth0.client.mgmt.types.ResourceServerScope;
import com.auth0.client.mgmt.types.SigningAlgorithmEnum;
import com.auth0.exception.APIException;
import com.auth0.json.auth.TokenHolder;
import com.auth0.jwt.JWT;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.Pkce;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Auth0 Java SDK ({@code com.auth0:auth0}) pointed at a running Latchkey: {@code AuthAPI}
 * gets client-credentials tokens (it sends JSON bodies to {@code /oauth/token}), logs a user in with the
 * password-realm grant ({@code login}), renews a user's tokens with a refresh token ({@code renewAuth}) and
 * revokes it ({@code revokeToken}), and
 * {@code ManagementApi} pages through clients and APIs and creates an API. The server runs on a
 * clock the tests move.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Auth0JavaSdkPeerTest {

    private static final String ORDERS = "https://orders.example/api";
    private static final String NOTES = "https://notes.example/api";
    private static final String CALLBACK = "https://sdk-web.example.com/callback";
    private static final String REALM = "Username-Password-Authentication";
    private static final int NOTES_TOKEN_LIFETIME = 300;
    private static final MovableClock CLOCK = MovableClock.startingNow();

    private TestServer server;
    private MachineClient client;
    private String httpBase;

    @BeforeAll
    void start() {
        server = TestServer.start(CLOCK);
        server.createApi("{\"identifier\":\"" + ORDERS + "\",\"name\":\"Orders\",\"scopes\":["
                + "{\"value\":\"read:orders\",\"description\":\"Read\"},"
                + "{\"value\":\"write:orders\",\"description\":\"Write\"}]}");
        client = MachineClient.register(server, "sdk peer").grant(ORDERS, "read:orders", "write:orders");
        // The SDK keeps an explicit http:// scheme (it prefixes https:// only to bare domains).
        httpBase = "http://127.0.0.1:" + server.latchkey().port();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void authApiGetsAClientCredentialsTokenForAnAudience() throws Exception {
        AuthAPI auth = AuthAPI.newBuilder(httpBase, client.clientId(), client.clientSecret()).build();

        TokenHolder holder = auth.requestToken(ORDERS).execute().getBody();

        assertThat(holder.getTokenType()).isEqualTo("Bearer");
        assertThat(holder.getExpiresIn()).isEqualTo(86_400);
        assertThat(holder.getScope()).isEqualTo("read:orders write:orders");
        DecodedJWT jwt = JWT.decode(holder.getAccessToken());
        assertThat(jwt.getIssuer()).isEqualTo(server.issuer());
        assertThat(jwt.getAudience()).containsExactly(ORDERS);
        assertThat(jwt.getClaim("azp").asString()).isEqualTo(client.clientId());
    }

    @Test
    void authApiNarrowsScopeWhenAsked() throws Exception {
        AuthAPI auth = AuthAPI.newBuilder(httpBase, client.clientId(), client.clientSecret()).build();

        TokenHolder holder = auth.requestToken(ORDERS).setScope("read:orders").execute().getBody();

        assertThat(holder.getScope()).isEqualTo("read:orders");
        assertThat(JWT.decode(holder.getAccessToken()).getClaim("scope").asString()).isEqualTo("read:orders");
    }

    /**
     * {@code renewAuth} after the access token expired on the server's clock (RFC 6749 §6), for a
     * client with rotating refresh tokens (Auth0 §4.2: each exchange answers a successor), then
     * {@code revokeToken} (RFC 7009 §2.2: 200), after which the token is refused.
     */
    @Test
    void authApiRenewsWithARotatingRefreshTokenAndRevokesIt() throws Exception {
        server.createApi("""
                {"identifier":"%s","name":"Notes","scopes":[{"value":"read:notes"}],"allow_offline_access":true,
                 "token_lifetime":%d,"skip_consent_for_verifiable_first_party_clients":true}"""
                .formatted(NOTES, NOTES_TOKEN_LIFETIME));
        JsonNode web = server.createClient("""
                {"name":"SDK web app","app_type":"regular_web","callbacks":["%s"],
                 "refresh_token":{"rotation_type":"rotating","expiration_type":"expiring","leeway":0,
                 "token_lifetime":86400,"idle_token_lifetime":3600,
                 "infinite_token_lifetime":false,"infinite_idle_token_lifetime":false}}""".formatted(CALLBACK));
        AuthAPI auth = AuthAPI.newBuilder(httpBase, web.path("client_id").asText(), web.path("client_secret").asText())
                .build();
        Pkce pkce = Pkce.create();
        String code = logIn("sdk-user@example.com", web.path("client_id").asText(), pkce,
                "openid offline_access read:notes");

        TokenHolder first = auth.exchangeCodeWithVerifier(code, pkce.verifier(), CALLBACK).execute().getBody();
        assertThat(first.getRefreshToken()).isNotEmpty();

        CLOCK.advance(Duration.ofSeconds(NOTES_TOKEN_LIFETIME + 1));
        assertThat(client.introspect(first.getAccessToken()).path("active").asBoolean()).isFalse();
        TokenHolder renewed = auth.renewAuth(first.getRefreshToken()).execute().getBody();

        assertThat(renewed.getAccessToken()).isNotEqualTo(first.getAccessToken());
        assertThat(client.introspect(renewed.getAccessToken()).path("active").asBoolean()).isTrue();
        assertThat(renewed.getIdToken()).isNotEmpty();
        assertThat(renewed.getScope()).isEqualTo("openid offline_access read:notes");
        assertThat(renewed.getRefreshToken()).isNotEmpty().isNotEqualTo(first.getRefreshToken());

        assertThat(auth.revokeToken(renewed.getRefreshToken()).execute().getStatusCode()).isEqualTo(200);
        assertThatThrownBy(() -> auth.renewAuth(renewed.getRefreshToken()).execute())
                .isInstanceOfSatisfying(APIException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(403);
                    assertThat(e.getError()).isEqualTo("invalid_grant");
                });
    }

    /**
     * {@code login(username, password, realm)}, Auth0's password-realm grant, and
     * {@code login(username, password).setRealm(realm)}, the password grant with a realm (RFC 6749 §4.3,
     * Auth0 §1.4), with an audience and scopes; a wrong password is Auth0's 403 {@code invalid_grant}
     * "Wrong email or password.".
     */
    @Test
    void authApiLogsAUserInWithThePasswordRealmGrant() throws Exception {
        JsonNode backend = server.createClient("""
                {"name":"SDK backend","app_type":"regular_web",
                 "grant_types":["password","http://auth0.com/oauth/grant-type/password-realm"]}""");
        String email = "sdk-password@example.com";
        User user = TestUsers.create(server, email);
        AuthAPI auth = AuthAPI.newBuilder(httpBase, backend.path("client_id").asText(),
                backend.path("client_secret").asText()).build();

        TokenHolder holder = auth.login(email, TestUsers.PASSWORD.toCharArray(), REALM)
                .setAudience(ORDERS).setScope("openid read:orders").execute().getBody();
        // This one is sent as grant_type=password with a realm, which is honoured.
        TokenHolder viaSetter = auth.login(email, TestUsers.PASSWORD.toCharArray()).setRealm(REALM)
                .setAudience(ORDERS).execute().getBody();

        assertThat(holder.getScope()).isEqualTo("openid read:orders");
        assertThat(holder.getIdToken()).isNotEmpty();
        DecodedJWT jwt = JWT.decode(holder.getAccessToken());
        assertThat(jwt.getSubject()).isEqualTo(user.userId());
        assertThat(jwt.getClaim("gty").asString()).isEqualTo("password");
        assertThat(jwt.getAudience()).containsExactly(ORDERS, server.issuer() + "userinfo");
        // Auth0 §1.4: no API scope asked for, every API scope.
        assertThat(viaSetter.getScope()).isEqualTo("read:orders write:orders");
        assertThatThrownBy(() -> auth.login(email, "Wrong-Passw0rd".toCharArray(), REALM).execute())
                .isInstanceOfSatisfying(APIException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(403);
                    assertThat(e.getError()).isEqualTo("invalid_grant");
                    assertThat(e.getDescription()).isEqualTo("Wrong email or password.");
                });
    }

    /** A new user logs in (code + PKCE for the Notes API, RFC 7636) and the code sent back is answered. */
    private String logIn(String email, String clientId, Pkce pkce, String scope) {
        TestUsers.create(server, email);
        Browser browser = new Browser(server);
        Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, scope, "state");
        params.put("audience", NOTES);
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", "S256");
        browser.authorize(params);
        HttpResponse<String> back = browser.logIn(email, TestUsers.PASSWORD);
        return Browser.redirectParams(back).get("code");
    }

    /** The SDK asks for page 0, 1, 2, ... until a page comes back empty: paging must be exact. */
    @Test
    void managementApiPagesThroughEveryClient() throws Exception {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(MachineClient.register(server, "paged " + i).clientId());
        }
        List<HttpUrl> requests = Collections.synchronizedList(new ArrayList<>());
        ManagementApi management = managementApi(requests);
        int total = TestServer.json(server.management("GET", "api/v2/clients?include_totals=true&per_page=1", null))
                .path("total").asInt();

        List<String> seen = new ArrayList<>();
        for (Client c : management.clients().list(ListClientsRequestParameters.builder()
                .perPage(2).includeTotals(true).build())) {
            seen.add(c.getClientId().orElseThrow());
        }

        assertThat(seen).hasSize(total).doesNotHaveDuplicates()
                .contains(server.bootstrapClientId(), client.clientId()).containsAll(created);
        int pages = (total + 1) / 2;
        assertThat(requests).extracting(url -> url.queryParameter("page"))
                .containsExactlyElementsOf(range(pages + 1));
        assertThat(requests).allSatisfy(url -> {
            assertThat(url.queryParameter("per_page")).isEqualTo("2");
            assertThat(url.queryParameter("include_totals")).isEqualTo("true");
        });
    }

    @Test
    void managementApiCreatesAndListsResourceServers() throws Exception {
        ManagementApi management = managementApi(new ArrayList<>());

        CreateResourceServerResponseContent created = management.resourceServers().create(
                CreateResourceServerRequestContent.builder()
                        .identifier("https://sdk-made.example/api")
                        .name("Made by the SDK")
                        .scopes(List.of(ResourceServerScope.builder().value("read:made")
                                .description("Read what was made").build()))
                        .signingAlg(SigningAlgorithmEnum.PS256)
                        .tokenLifetime(600)
                        .build());

        assertThat(created.getId()).isPresent();
        assertThat(created.getIdentifier()).contains("https://sdk-made.example/api");
        assertThat(created.getSigningAlg()).contains(SigningAlgorithmEnum.PS256);
        assertThat(created.getTokenLifetime()).contains(600);
        assertThat(created.getScopes().orElseThrow()).extracting(ResourceServerScope::getValue)
                .containsExactly("read:made");

        List<String> identifiers = new ArrayList<>();
        for (ResourceServer api : management.resourceServers().list(ListResourceServerRequestParameters.builder()
                .perPage(1).includeTotals(true).build())) {
            identifiers.add(api.getIdentifier().orElseThrow());
        }
        assertThat(identifiers).doesNotHaveDuplicates()
                .contains(server.managementAudience(), ORDERS, "https://sdk-made.example/api");

        JsonNode fetched = TestServer.json(server.management("GET",
                "api/v2/resource-servers/" + created.getId().orElseThrow(), null));
        assertThat(fetched.path("signing_alg").asText()).isEqualTo("PS256");
    }

    /**
     * With client credentials the SDK derives the token URL and the audience from its URL
     * ({@code <url>/oauth/token}, {@code <url>/api/v2/}). The audience must be the issuer's, so
     * the natural configuration is the issuer's own host name.
     */
    @Test
    void managementApiGetsItsOwnTokenWhenGivenTheIssuersUrl() {
        ManagementApi management = ManagementApi.builder()
                .url(server.issuer() + "api/v2")
                .clientCredentials(server.bootstrapClientId(), server.bootstrapClientSecret())
                .build();

        Optional<String> first = management.clients().list().getItems().stream()
                .map(c -> c.getClientId().orElseThrow()).filter(server.bootstrapClientId()::equals).findFirst();

        assertThat(first).contains(server.bootstrapClientId());
    }

    /**
     * Addressed by IP, the SDK derives {@code http://127.0.0.1:<port>/api/v2/}, which is not an API
     * here (403 {@code access_denied}, as Auth0 answers for an unknown audience); naming the
     * issuer's audience fixes it.
     */
    @Test
    void managementApiByIpAddressNeedsTheIssuersAudience() {
        ManagementApi derived = ManagementApi.builder()
                .url(httpBase + "/api/v2")
                .clientCredentials(server.bootstrapClientId(), server.bootstrapClientSecret())
                .build();
        assertThatThrownBy(() -> derived.resourceServers().list()).hasStackTraceContaining("HTTP 403");

        ManagementApi management = ManagementApi.builder()
                .url(httpBase + "/api/v2")
                .clientCredentials(server.bootstrapClientId(), server.bootstrapClientSecret())
                .audience(server.managementAudience())
                .build();

        assertThat(management.resourceServers().list().getItems()).isNotEmpty();
    }

    private ManagementApi managementApi(List<HttpUrl> requests) throws Exception {
        String token = AuthAPI.newBuilder(httpBase, server.bootstrapClientId(), server.bootstrapClientSecret())
                .build().requestToken(server.managementAudience()).execute().getBody().getAccessToken();
        OkHttpClient recording = new OkHttpClient.Builder().addInterceptor(chain -> {
            requests.add(chain.request().url());
            return chain.proceed(chain.request());
        }).build();
        return ManagementApi.builder().url(httpBase + "/api/v2").token(token).httpClient(recording).build();
    }

    private static List<String> range(int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(Integer.toString(i));
        }
        return values;
    }
}
