package dev.latchkey.server.oauth.authorize;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.RsaKeyFactory;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.AppType;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.JwtConfiguration;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import dev.latchkey.server.registry.TokenEndpointAuthMethod;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.JdbcAuthorizationStore;
import dev.latchkey.server.store.JdbcClientGrantStore;
import dev.latchkey.server.store.JdbcClientStore;
import dev.latchkey.server.store.JdbcOpaqueTokenStore;
import dev.latchkey.server.store.JdbcResourceServerStore;
import dev.latchkey.server.store.JdbcSigningKeyStore;
import dev.latchkey.server.store.JdbcTenantSettingsStore;
import dev.latchkey.server.token.AuthorizationLookup;
import dev.latchkey.server.token.OpaqueTokenLookup;
import dev.latchkey.server.token.OwnTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the /authorize check table ({@link AuthorizeEndpoint#checks}), run against real stores
 * holding a web application, a single-page application, a machine client and an API. Whatever the
 * parameters, the checks end in a checked authorization or an {@link AuthorizeException}: anything else
 * would escape {@link AuthorizeEndpoint#handle} as a 500. An error goes back to the client only once its
 * redirect URI is proven, and only to a registered one (RFC 6749 §3.1.2.3, §4.1.2.1).
 */
class AuthorizeChecksFuzzTest {

    private static final String ISSUER = "https://auth.example.com/";
    private static final String API = "https://api.example.com/";
    private static final List<String> CLIENT_IDS = List.of("web_app", "spa_app", "machine_app", "native_app");
    private static final List<String> CALLBACKS = List.of("https://app.example.com/callback",
            "http://localhost:3000/cb", "com.example.app://callback", "https://spa.example.com/");
    private static final List<String> NAMES = List.of("client_id", "redirect_uri", "response_type",
            "response_mode", "scope", "state", "nonce", "audience", "code_challenge", "code_challenge_method",
            "prompt", "max_age", "login_hint", "id_token_hint", "acr_values", "request", "request_uri", "claims",
            "display", "ui_locales", "connection", "organization");
    private static final List<String> RESPONSE_TYPES = List.of("code", "token", "id_token", "id_token token",
            "code id_token", "code token", "code id_token token", "none", "token code");

    private static Database database;
    private static List<AuthorizeCheck> checks;

    @BeforeAll
    static void registry() {
        database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
        var jdbi = database.jdbi();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        MasterKey masterKey = new MasterKey(key);
        Clock clock = Clock.systemUTC();
        var clients = new JdbcClientStore(jdbi);
        var apis = new JdbcResourceServerStore(jdbi, masterKey);
        Instant now = clock.instant();
        clients.create(client("web_app", AppType.REGULAR_WEB, TokenEndpointAuthMethod.CLIENT_SECRET_POST,
                CALLBACKS.subList(0, 3), now));
        clients.create(client("spa_app", AppType.SPA, TokenEndpointAuthMethod.NONE, CALLBACKS.subList(3, 4), now));
        clients.create(client("native_app", AppType.NATIVE, TokenEndpointAuthMethod.NONE, CALLBACKS.subList(2, 3),
                now));
        clients.create(new Client("machine_app", "Machine", null, AppType.NON_INTERACTIVE, true, false,
                TokenEndpointAuthMethod.CLIENT_SECRET_POST, null, List.of("client_credentials"), List.of(), List.of(),
                List.of(), List.of(), JwtConfiguration.DEFAULT, Map.of(), now, now, null, false));
        apis.create(new ResourceServer(UUID.randomUUID().toString(), API, "Items", false,
                List.of(new ApiScope("read:items", "Read"), new ApiScope("write:items", "Write")),
                SigningAlgorithm.RS256, null, ResourceServer.DEFAULT_TOKEN_LIFETIME,
                ResourceServer.DEFAULT_TOKEN_LIFETIME, true, false, false, TokenDialect.ACCESS_TOKEN, now, now));
        var lookups = new RegistryLookups(clients, apis, new JdbcClientGrantStore(jdbi),
                new JdbcTenantSettingsStore(jdbi));
        var ring = new SigningKeyRing(new JdbcSigningKeyStore(jdbi, masterKey), new RsaKeyFactory("auth.example.com"),
                clock);
        ring.ensureReady();
        var tokens = new OwnTokens(ISSUER, ring, new OpaqueTokenLookup(new JdbcOpaqueTokenStore(jdbi), clock),
                new AuthorizationLookup(new JdbcAuthorizationStore(jdbi)), lookups, masterKey, clock);
        checks = AuthorizeEndpoint.checks(lookups, ISSUER + "userinfo", tokens,
                new dev.latchkey.server.store.JdbcConnectionStore(jdbi, masterKey));
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @FuzzTest
    void checksEndInAnAuthorizationOrAnAuthorizeError(FuzzedDataProvider data) {
        Map<String, String> params = new LinkedHashMap<>();
        Set<String> repeated = new HashSet<>();
        for (int count = data.consumeInt(0, 14); count > 0; count--) {
            String name = data.consumeInt(0, 9) == 0 ? data.consumeString(20) : data.pickValue(NAMES);
            params.put(name, value(name, data));
            if (data.consumeInt(0, 15) == 0) {
                repeated.add(name);
            }
        }
        AuthorizeContext context = new AuthorizeContext(params, repeated);
        try {
            for (AuthorizeCheck check : checks) {
                check.check(context);
            }
            CheckedAuthorization checked = context.checked();
            assertThat(context.client().callbacks()).contains(checked.redirectUri());
            assertThat(ResponseModeCheck.MODES).contains(checked.responseMode());
        } catch (AuthorizeException refused) {
            assertThat(refused.error()).isNotBlank();
            assertThat(refused.description()).isNotNull();
            if (!refused.page()) {
                assertThat(context.redirectable()).as("an error redirected before the redirect URI was proven")
                        .isTrue();
                assertThat(context.client().callbacks()).contains(context.redirectUri());
                assertThat(ResponseModeCheck.MODES).contains(context.errorResponseMode());
                context.state();
            }
        }
    }

    /** A value that passes a parameter's check more often than random text would, or random text. */
    private static String value(String name, FuzzedDataProvider data) {
        if (data.consumeInt(0, 3) == 0) {
            return data.consumeString(300);
        }
        return switch (name) {
            case "client_id" -> data.pickValue(CLIENT_IDS);
            case "redirect_uri" -> data.pickValue(CALLBACKS) + (data.consumeBoolean() ? "" : "#" + data.consumeString(8));
            case "response_type" -> data.pickValue(RESPONSE_TYPES);
            case "response_mode" -> data.pickValue(List.of("query", "fragment", "form_post", "web_message"));
            case "scope" -> data.pickValue(List.of("openid", "openid profile email", "read:items offline_access",
                    "openid  read:items")) + " " + data.consumeString(20);
            case "audience" -> data.consumeBoolean() ? API : ISSUER + "userinfo";
            case "code_challenge" -> "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".substring(0, data.consumeInt(0, 43))
                    + data.consumeString(90);
            case "code_challenge_method" -> data.pickValue(List.of("S256", "plain", "s256"));
            case "prompt" -> data.pickValue(List.of("none", "login", "consent", "select_account", "login consent"));
            case "max_age" -> Long.toString(data.consumeLong());
            default -> data.consumeString(40);
        };
    }

    private static Client client(String id, AppType type, TokenEndpointAuthMethod method, List<String> callbacks,
                                 Instant now) {
        return new Client(id, id, null, type, true, false, method, null,
                List.of("authorization_code", "implicit", "refresh_token"), callbacks, List.of(),
                List.of("https://app.example.com"), List.of(), JwtConfiguration.DEFAULT, Map.of(), now, now, null, false);
    }
}
