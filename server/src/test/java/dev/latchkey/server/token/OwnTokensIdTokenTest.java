package dev.latchkey.server.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.RsaKeyFactory;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.registry.AppType;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.JwtConfiguration;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenEndpointAuthMethod;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.JdbcAuthorizationStore;
import dev.latchkey.server.store.JdbcClientGrantStore;
import dev.latchkey.server.store.JdbcClientStore;
import dev.latchkey.server.store.JdbcOpaqueTokenStore;
import dev.latchkey.server.store.JdbcResourceServerStore;
import dev.latchkey.server.store.JdbcSigningKeyStore;
import dev.latchkey.server.store.JdbcTenantSettingsStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link OwnTokens#idToken}, which Auth0's {@code link_with} takes, against real H2 stores and the server's own
 * signing key ring: a token this server signed is still refused when it is shaped like an access token, and each
 * claim that tells one apart is refused on its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnTokensIdTokenTest {

    private static final String ISSUER = "https://auth.example.com/";
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private Database database;
    private TokenSigner signer;
    private OwnTokens tokens;

    @BeforeAll
    void open() {
        database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
        MasterKey masterKey = new MasterKey(new byte[32]);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        var clients = new JdbcClientStore(database.jdbi());
        clients.create(new Client("app", "App", null, AppType.REGULAR_WEB, true, false,
                TokenEndpointAuthMethod.CLIENT_SECRET_POST, null, List.of("authorization_code"),
                List.of("https://app.example.com/callback"), List.of(), List.of(), List.of(), JwtConfiguration.DEFAULT,
                Map.of(), NOW, NOW, null, false));
        var lookups = new RegistryLookups(clients, new JdbcResourceServerStore(database.jdbi(), masterKey),
                new JdbcClientGrantStore(database.jdbi()), new JdbcTenantSettingsStore(database.jdbi()));
        SigningKeyRing ring = new SigningKeyRing(new JdbcSigningKeyStore(database.jdbi(), masterKey),
                new RsaKeyFactory("auth.example.com"), clock);
        ring.ensureReady();
        signer = new TokenSigner(ring);
        tokens = new OwnTokens(ISSUER, ring, new OpaqueTokenLookup(new JdbcOpaqueTokenStore(database.jdbi()), clock),
                new AuthorizationLookup(new JdbcAuthorizationStore(database.jdbi())), lookups, masterKey, clock);
    }

    @AfterAll
    void close() {
        database.close();
    }

    private String signed(UnaryOperator<JWTClaimsSet.Builder> shape) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("auth0|someone")
                .audience("app").issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(3600)));
        return signer.signRsa(shape.apply(claims).build(), SigningAlgorithm.RS256, JOSEObjectType.JWT);
    }

    @Test
    void anIdTokenOfThisServerIsTaken() {
        assertThat(tokens.idToken(signed(claims -> claims)).getSubject()).isEqualTo("auth0|someone");
    }

    @Test
    void eachClaimOfAnAccessTokenMakesItNoIdToken() {
        // Every access token issued here carries scope, client_id, gty or azp; an ID token none of them
        // (OIDC Core §2 makes azp optional in an ID token; this server's ID tokens never carry it).
        for (String claim : List.of("scope", "client_id", "gty", "azp")) {
            String token = signed(claims -> claims.claim(claim, "app"));
            assertThatThrownBy(() -> tokens.idToken(token)).as(claim)
                    .isInstanceOf(InvalidTokenException.class)
                    .extracting(e -> ((InvalidTokenException) e).reason())
                    .isEqualTo(InvalidTokenException.Reason.MALFORMED);
        }
    }
}
