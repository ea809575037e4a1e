package dev.latchkey.server.token;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.RsaKeyFactory;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.rbac.RbacPolicy;
import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.AppType;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientGrant;
import dev.latchkey.server.registry.JwtConfiguration;
import dev.latchkey.server.registry.RefreshTokenSettings;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import dev.latchkey.server.registry.TokenEndpointAuthMethod;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.JdbcAuthorizationStore;
import dev.latchkey.server.store.JdbcOpaqueTokenStore;
import dev.latchkey.server.store.JdbcRefreshTokenStore;
import dev.latchkey.server.store.JdbcSigningKeyStore;
import dev.latchkey.server.store.JdbcUserPermissionStore;
import dev.latchkey.server.testing.MovableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The issuer without HTTP, on an in-memory H2: which format, which lifetime, and whether a refresh
 * token comes along, for each way a token leaves (Auth0 §1.2, §1.4, §4). Fast enough to grow with
 * every rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenIssuerTest {

    private static final String ISSUER = "https://issuer.example/";
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    private final MovableClock clock = new MovableClock(NOW);
    private Database database;
    private TokenIssuer issuer;
    /** What the release gate answers: whether every node reads family-form refresh tokens. */
    private volatile boolean newFormsReadEverywhere = true;

    @BeforeAll
    void open() {
        database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
        MasterKey masterKey = new MasterKey(new byte[32]);
        SigningKeyRing ring = new SigningKeyRing(new JdbcSigningKeyStore(database.jdbi(), masterKey),
                new RsaKeyFactory("localhost"), clock);
        ring.ensureReady();
        TokenSigner signer = new TokenSigner(ring);
        issuer = new TokenIssuer(new JwtAccessTokenFormat(ISSUER, signer, clock),
                new OpaqueAccessTokenFormat(new JdbcOpaqueTokenStore(database.jdbi()),
                        new SealedOpaqueTokens(masterKey), () -> newFormsReadEverywhere, clock),
                new IdTokenFormat(ISSUER, signer, masterKey, clock), new JdbcAuthorizationStore(database.jdbi()),
                new JdbcRefreshTokenStore(database),
                new RbacPolicy(new JdbcUserPermissionStore(database.jdbi())), clock, () -> newFormsReadEverywhere,
                new FamilySecrets(new byte[32]));
    }

    @AfterAll
    void close() {
        database.close();
    }

    private static ResourceServer api(boolean offline) {
        return new ResourceServer("rs", "https://api.example/", "API", false, List.of(new ApiScope("read", null)),
                SigningAlgorithm.RS256, null, 7_200, 600, offline, false, false, TokenDialect.ACCESS_TOKEN, NOW, NOW);
    }

    private static Client client(AppType type, TokenEndpointAuthMethod method, RefreshTokenSettings refresh) {
        return new Client("client1", "App", null, type, true, false, method, null,
                List.of("authorization_code", "refresh_token"), List.of("https://app.example/cb"), List.of(),
                List.of(), List.of(), JwtConfiguration.DEFAULT, Map.of(), NOW, NOW, refresh, false);
    }

    private static User user() {
        return new User("auth0|u1", "Username-Password-Authentication", "u1@example.com", true, "U", null, null,
                null, null, Map.of(), Map.of(), false, NOW, NOW, null, 0, null, null);
    }

    private int rows(String table) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table)
                .mapTo(Integer.class).one());
    }

    private IssuedTokens atTokenEndpoint(Client client, ResourceServer api, List<String> scopes) {
        Authorization authorization = issuer.authorize("auth0|u1", client, api, scopes, "sid1", NOW, null);
        return issuer.forUser(UserTokenRequest.atTokenEndpoint(authorization, client, api, user(), "n"));
    }

    @Test
    void machineTokensHangFromTheirClientGrantAndWriteNothing() throws Exception {
        int before = rows("authorizations") + rows("opaque_tokens") + rows("refresh_tokens");
        Client client = client(AppType.NON_INTERACTIVE, TokenEndpointAuthMethod.CLIENT_SECRET_POST, null);
        IssuedAccessToken token = issuer.forClient(client, api(false),
                new ClientGrant("cgr_abc", "client1", "https://api.example/", List.of("read"), NOW), List.of("read"));
        JWTClaimsSet claims = SignedJWT.parse(token.value()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("client1@clients");
        assertThat(claims.getStringClaim("gty")).isEqualTo("client-credentials");
        assertThat(Authorization.idOfJti(claims.getJWTID())).isEqualTo("cgr_abc");
        assertThat(token.expiresIn()).isEqualTo(7_200);
        assertThat(rows("authorizations") + rows("opaque_tokens") + rows("refresh_tokens")).isEqualTo(before);
    }

    @Test
    void aUserTokenNamesItsAuthorizationAndPicksItsFormatByAudience() throws Exception {
        Client client = client(AppType.REGULAR_WEB, TokenEndpointAuthMethod.CLIENT_SECRET_POST, null);
        IssuedTokens jwt = atTokenEndpoint(client, api(false), List.of("openid", "read"));
        JWTClaimsSet claims = SignedJWT.parse(jwt.accessToken().value()).getJWTClaimsSet();
        // Auth0 §1.2: a JWT for the API, with /userinfo in the audience when openid is granted.
        assertThat(claims.getAudience()).containsExactly("https://api.example/", ISSUER + "userinfo");
        assertThat(Authorization.idOfJti(claims.getJWTID())).startsWith("az_");
        assertThat(jwt.idToken()).isNotNull();
        assertThat(jwt.refreshToken()).isNull();

        int opaqueBefore = rows("opaque_tokens");
        IssuedTokens opaque = atTokenEndpoint(client, null, List.of("openid"));
        // Auth0 §4.1: an opaque /userinfo token from the code flow lives 86400 s. Sealed: nothing stored.
        assertThat(opaque.accessToken().value()).doesNotContain(".").hasSizeGreaterThan(43);
        assertThat(opaque.accessToken().expiresIn()).isEqualTo(86_400);
        assertThat(rows("opaque_tokens")).isEqualTo(opaqueBefore);

        // While a node of an earlier release uses the database: the row form, which every release reads.
        try {
            newFormsReadEverywhere = false;
            IssuedTokens row = atTokenEndpoint(client, null, List.of("openid"));
            assertThat(row.accessToken().value()).doesNotContain(".").hasSize(43);
            assertThat(rows("opaque_tokens")).isEqualTo(opaqueBefore + 1);
        } finally {
            newFormsReadEverywhere = true;
        }
    }

    @Test
    void theBrowserGetsWebLifetimesAndNeverARefreshToken() {
        Client client = client(AppType.SPA, TokenEndpointAuthMethod.NONE, null);
        Authorization authorization = issuer.authorize("auth0|u1", client, api(true),
                List.of("openid", "offline_access"), "sid1", NOW, null);
        IssuedTokens implicit = issuer.forUser(new UserTokenRequest(authorization, client, api(true), user(),
                UserTokenRequest.Channel.IMPLICIT, true, true, "n", null, null, null, null));
        assertThat(implicit.accessToken().expiresIn()).isEqualTo(600);
        assertThat(implicit.refreshToken()).isNull();
        Authorization userinfoOnly = issuer.authorize("auth0|u1", client, null, List.of("openid"), "sid1", NOW, null);
        IssuedTokens opaque = issuer.forUser(new UserTokenRequest(userinfoOnly, client, null, user(),
                UserTokenRequest.Channel.IMPLICIT, true, false, "n", null, null, null, null));
        assertThat(opaque.accessToken().expiresIn()).isEqualTo(7_200);
    }

    @Test
    void aRefreshTokenNeedsOfflineAccessAnApiThatAllowsItAndRotationForPublicClients() {
        Client web = client(AppType.REGULAR_WEB, TokenEndpointAuthMethod.CLIENT_SECRET_POST, null);
        assertThat(atTokenEndpoint(web, api(true), List.of("read")).refreshToken()).isNull();
        assertThat(atTokenEndpoint(web, api(false), List.of("offline_access")).refreshToken()).isNull();
        assertThat(atTokenEndpoint(web, api(true), List.of("offline_access")).refreshToken()).isNotNull();
        assertThat(atTokenEndpoint(web, null, List.of("openid", "offline_access")).refreshToken()).isNotNull();
        // RFC 9700 §4.14.2: a public client only with rotation.
        Client nativeApp = client(AppType.NATIVE, TokenEndpointAuthMethod.NONE, RefreshTokenSettings.NON_ROTATING);
        assertThat(atTokenEndpoint(nativeApp, api(true), List.of("offline_access")).refreshToken()).isNull();
        Client rotatingNative = client(AppType.NATIVE, TokenEndpointAuthMethod.NONE, RefreshTokenSettings.ROTATING);
        assertThat(atTokenEndpoint(rotatingNative, api(true), List.of("offline_access")).refreshToken()).isNotNull();
    }

    @Test
    void aRotatedSuccessorKeepsItsFamilysAbsoluteExpiryAndScope() {
        Client client = client(AppType.REGULAR_WEB, TokenEndpointAuthMethod.CLIENT_SECRET_POST,
                new RefreshTokenSettings(true, true, 0, 86_400, false, 3_600, false));
        Authorization authorization = issuer.authorize("auth0|u1", client, api(true),
                List.of("offline_access", "read"), "sid1", NOW, null);
        issuer.forUser(UserTokenRequest.atTokenEndpoint(authorization, client, api(true), user(), null));
        var store = new JdbcRefreshTokenStore(database);
        RefreshToken first = store.activeOfUser("auth0|u1", 1).get(0);
        assertThat(first.absoluteExpiresAt()).isEqualTo(NOW.plusSeconds(86_400));
        assertThat(first.idleExpiresAt()).isEqualTo(NOW.plusSeconds(3_600));

        clock.advance(java.time.Duration.ofMinutes(30));
        // RFC 6749 §6: narrowed access, but the successor keeps the original scope.
        issuer.forUser(new UserTokenRequest(authorization.withScopes(List.of("read")), client, api(true), user(),
                UserTokenRequest.Channel.REFRESH, true, false, null, null, first, null, null));
        RefreshToken successor = store.activeOfUser("auth0|u1", 1).get(0);
        assertThat(successor.familyId()).isEqualTo(first.familyId());
        assertThat(successor.scopes()).containsExactly("offline_access", "read");
        assertThat(successor.absoluteExpiresAt()).isEqualTo(first.absoluteExpiresAt());
        assertThat(successor.idleExpiresAt()).isEqualTo(clock.instant().plusSeconds(3_600));
    }

    @Test
    void rotatingTokensTakeTheFamilyFormOnlyOnceEveryNodeReadsItOthersNever() {
        Client rotating = client(AppType.REGULAR_WEB, TokenEndpointAuthMethod.CLIENT_SECRET_POST,
                RefreshTokenSettings.ROTATING);
        Client lasting = client(AppType.REGULAR_WEB, TokenEndpointAuthMethod.CLIENT_SECRET_POST,
                RefreshTokenSettings.NON_ROTATING);
        try {
            // An earlier release still uses the database: the row form, which it reads.
            newFormsReadEverywhere = false;
            String row = atTokenEndpoint(rotating, api(true), List.of("offline_access")).refreshToken();
            assertThat(row).matches("[A-Za-z0-9_-]{43}");
            newFormsReadEverywhere = true;
            String family = atTokenEndpoint(rotating, api(true), List.of("offline_access")).refreshToken();
            assertThat(family).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}");
            // A token that never rotates has nothing to gain from a family row.
            assertThat(atTokenEndpoint(lasting, api(true), List.of("offline_access")).refreshToken())
                    .matches("[A-Za-z0-9_-]{43}");
        } finally {
            newFormsReadEverywhere = true;
        }
    }
}
