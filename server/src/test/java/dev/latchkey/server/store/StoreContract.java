package dev.latchkey.server.store;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.identity.SsoSession;
import dev.latchkey.server.management.KeptFieldsStore;
import dev.latchkey.server.oauth.grant.AuthorizationCodeStore.Consumed;
import dev.latchkey.server.keys.KeyState;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.RsaKeyFactory;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.keys.SigningKey;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.rbac.Permission;
import dev.latchkey.server.rbac.PermissionSource;
import dev.latchkey.server.rbac.Role;
import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.AppType;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RefreshTokenSettings;
import dev.latchkey.server.registry.ClientGrant;
import dev.latchkey.server.registry.ClientSecret;
import dev.latchkey.server.registry.JwtConfiguration;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import dev.latchkey.server.registry.TokenEndpointAuthMethod;
import dev.latchkey.server.token.Authorization;
import dev.latchkey.server.token.AuthorizationStore;
import dev.latchkey.server.token.FamilySecrets;
import dev.latchkey.server.token.NewRefreshToken;
import dev.latchkey.server.token.OpaqueToken;
import dev.latchkey.server.token.PresentedRefreshToken;
import dev.latchkey.server.token.RefreshToken;
import dev.latchkey.server.token.RefreshTokenStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The storage contract every database must keep, run once per database (H2, PostgreSQL) through
 * {@link Database#open}: every field round-trips, unique keys are enforced as
 * {@link DuplicateKeyException}, paging is exact (the Auth0 SDKs page until an empty page comes
 * back), deleting a client deletes its grants, secrets are sealed at rest, and changes to the
 * signing key ring are serialised by the ring lock; roles and permissions (RBAC) are held once,
 * read in one statement and removed with the role, the user or the API they hang on.
 */
abstract class StoreContract extends ContractDatabase {

    /** Millisecond precision on purpose: times are stored as epoch millis. */
    static final Instant T0 = Instant.ofEpochMilli(1_760_000_000_123L);
    private static final MasterKey MASTER_KEY = new MasterKey(bytes(32, (byte) 7));
    private static final RsaKeyFactory RSA = new RsaKeyFactory("localhost");

    private JdbcResourceServerStore apis;
    private JdbcClientStore clients;
    private JdbcClientGrantStore grants;
    private JdbcSigningKeyStore keys;
    private JdbcRoleStore roles;
    private JdbcUserPermissionStore userPermissions;

    @Override
    protected void opened(Database database) {
        apis = new JdbcResourceServerStore(database.jdbi(), MASTER_KEY);
        clients = new JdbcClientStore(database.jdbi());
        grants = new JdbcClientGrantStore(database.jdbi());
        keys = new JdbcSigningKeyStore(database.jdbi(), MASTER_KEY);
        roles = new JdbcRoleStore(database.jdbi(), Clock.fixed(T0, java.time.ZoneOffset.UTC));
        userPermissions = new JdbcUserPermissionStore(database.jdbi());
    }

    /** Every test starts from empty tables: none depends on another's rows. */
    @BeforeEach
    void emptyTables() {
        requireAvailable();
        database.jdbi().useHandle(h -> {
            h.execute("DELETE FROM roles");
            h.execute("DELETE FROM users");
            h.execute("DELETE FROM connections");
            h.execute("DELETE FROM client_grants");
            h.execute("DELETE FROM clients");
            h.execute("DELETE FROM resource_servers");
            h.execute("DELETE FROM signing_keys");
            h.execute("DELETE FROM refresh_tokens");
            h.execute("DELETE FROM opaque_tokens");
            h.execute("DELETE FROM authorizations");
            h.execute("DELETE FROM kept_fields");
            h.execute("DELETE FROM sso_sessions");
        });
    }

    // --- Kept Auth0 properties and SSO sessions ---

    @Test
    void keptPropertiesAreWrittenMergedReadInBulkAndRemoved() {
        var kept = new JdbcKeptFieldsStore(database.jdbi());
        Map<String, Object> addons = new java.util.LinkedHashMap<>();
        addons.put("logo_uri", "https://cdn.example.com/l.png");
        addons.put("addons", Map.of("samlp", Map.of("audience", "urn:x")));
        addons.put("compliance_level", null);
        kept.write(KeptFieldsStore.CLIENT, "c1", addons);
        kept.write(KeptFieldsStore.CLIENT, "c2", Map.of("sso", true));
        kept.write(KeptFieldsStore.CLIENT_GRANT, "c1", Map.of("subject_type", "client"));
        assertThat(kept.read(KeptFieldsStore.CLIENT, "c1")).isEqualTo(addons);
        assertThat(kept.read(KeptFieldsStore.CLIENT, "c3")).isEmpty();
        assertThat(kept.readAll(KeptFieldsStore.CLIENT, List.of("c1", "c2", "c3")))
                .containsOnlyKeys("c1", "c2").containsEntry("c2", Map.of("sso", true));
        kept.write(KeptFieldsStore.CLIENT, "c2", Map.of("sso", false));
        assertThat(kept.read(KeptFieldsStore.CLIENT, "c2")).isEqualTo(Map.of("sso", false));
        kept.write(KeptFieldsStore.CLIENT, "c2", Map.of());
        kept.delete(KeptFieldsStore.CLIENT, "c1");
        assertThat(kept.readAll(KeptFieldsStore.CLIENT, List.of("c1", "c2"))).isEmpty();
        assertThat(kept.read(KeptFieldsStore.CLIENT_GRANT, "c1")).containsEntry("subject_type", "client");
    }

    @Test
    void deletingAClientTakesTheKeptPropertiesOfItsGrants() {
        var kept = new JdbcKeptFieldsStore(database.jdbi());
        clients.create(client("client-kept", 1));
        grants.create(new ClientGrant("cgr_kept", "client-kept", "https://kept.example/api", List.of(), T0));
        kept.write(KeptFieldsStore.CLIENT_GRANT, "cgr_kept", Map.of("organization_usage", "allow"));
        clients.delete("client-kept");
        assertThat(kept.read(KeptFieldsStore.CLIENT_GRANT, "cgr_kept")).isEmpty();
    }

    @Test
    void anSsoSessionsIdleExpiryMovesWhenTouched() {
        var sessions = new JdbcSsoSessionStore(database.jdbi(), MASTER_KEY);
        sessions.create(new SsoSession("hash-idle", "sid-idle", "auth0|u", T0, T0, T0.plusSeconds(7_200),
                T0.plusSeconds(3_600)));
        sessions.touch("hash-idle", T0.plusSeconds(5_400));
        assertThat(sessions.find("hash-idle").orElseThrow().idleExpiresAt()).isEqualTo(T0.plusSeconds(5_400));
        // A session a previous release started has no idle expiry: only its absolute one.
        sessions.create(new SsoSession("hash-old", "sid-old", "auth0|u", T0, T0, T0.plusSeconds(7_200), null));
        SsoSession old = sessions.find("hash-old").orElseThrow();
        assertThat(old.idleExpiresAt()).isNull();
        assertThat(old.expired(T0.plusSeconds(7_000))).isFalse();
    }

    @Test
    void aNewSessionsSidBeginsWithItsStartTimeAndIsFoundByTheCookie() {
        var store = new JdbcSsoSessionStore(database.jdbi(), MASTER_KEY);
        var sessions = new dev.latchkey.server.identity.SsoSessions(store, Clock.systemUTC(),
                () -> dev.latchkey.server.identity.SessionLifetimes.AUTH0_DEFAULTS);
        long before = System.currentTimeMillis();
        var started = sessions.start("auth0|sid-time", null);
        long after = System.currentTimeMillis();
        String sid = started.session().sid();
        // Public (ID tokens carry it): the time it reveals is the ID token's auth_time; the rest stays random.
        assertThat(sid).matches("[0-9a-z]{9}[A-Za-z0-9_-]{22}");
        assertThat(Long.parseLong(sid.substring(0, 9), 36))
                .isBetween(before, after);
        assertThat(sessions.find(started.cookie()).orElseThrow().sid()).isEqualTo(sid);
    }

    @Test
    void noIndexCoversTheOpaqueTokensCodeHashThatNoReleaseWritesSinceV5() throws Exception {
        // V19 dropped it: the column stays (a previous release still names it), its index only cost an entry per token.
        List<String> indexed = database.jdbi().withHandle(h -> {
            var meta = h.getConnection().getMetaData();
            String table = meta.storesUpperCaseIdentifiers() ? "OPAQUE_TOKENS" : "opaque_tokens";
            List<String> columns = new ArrayList<>();
            try (var rows = meta.getIndexInfo(null, h.getConnection().getSchema(), table, false, false)) {
                while (rows.next()) {
                    if (rows.getString("COLUMN_NAME") != null) {
                        columns.add(rows.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
            return columns;
        });
        assertThat(indexed).contains("authorization_id").doesNotContain("code_hash");
    }

    // --- Authorizations and refresh tokens ---

    private static Authorization authorization(String id, String userId) {
        return new Authorization(id, userId, "client1", "https://things.example/api", List.of("openid",
                "offline_access"), "sid-" + userId, T0, null, T0, T0.plusSeconds(86_400));
    }

    static RefreshToken refreshToken(String id, String family, String authorizationId, String userId,
                                             Instant created) {
        return new RefreshToken(id, SecretHash.of("value-" + id), family, authorizationId, "client1", userId,
                "https://things.example/api", List.of("openid", "offline_access"), "sid-" + userId, true, created,
                null, null, created.plusSeconds(3_600), created.plusSeconds(86_400), created.plusSeconds(3_600));
    }

    @Test
    void refreshTokensRoundTripAndRotateOnceWhateverTheCallers() throws Exception {
        var authorizations = new JdbcAuthorizationStore(database.jdbi());
        var tokens = new JdbcRefreshTokenStore(database);
        authorizations.create(authorization("az_1", "u1"));
        RefreshToken token = refreshToken("rt_1", "rt_1", "az_1", "u1", T0);
        tokens.create(token, 200);
        assertThat(tokens.find(token.tokenHash())).contains(token);
        assertThat(authorizations.findActive("az_1")).contains(authorization("az_1", "u1"));

        // One conditional UPDATE: of eight simultaneous exchanges exactly one is first.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<RefreshTokenStore.Exchange>> exchanges = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < 8; i++) {
                exchanges.add(pool.submit(() -> {
                    start.await();
                    return tokens.rotate(token, T0.plusSeconds(5), 0, T0.plusSeconds(86_400));
                }));
            }
            start.countDown();
            int first = 0;
            for (Future<RefreshTokenStore.Exchange> exchange : exchanges) {
                RefreshTokenStore.Exchange result = exchange.get(30, TimeUnit.SECONDS);
                if (result instanceof RefreshTokenStore.Exchange.First) {
                    first++;
                } else {
                    assertThat(result).isInstanceOf(RefreshTokenStore.Exchange.Reused.class);
                }
            }
            assertThat(first).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static final FamilySecrets SECRETS = new FamilySecrets(new byte[32]);

    /** A family-form token stored as TokenIssuer stores a new family's first token, with its value. */
    private static String familyToken(JdbcRefreshTokenStore tokens, String userId, Instant idle, Instant absolute) {
        NewRefreshToken first = NewRefreshToken.startFamily(SECRETS, true, idle);
        tokens.create(new RefreshToken(first.id(), first.tokenHash(), first.id(), "az_" + first.id(), "client1", userId,
                "https://things.example/api", List.of("offline_access"), null, true, T0, null, null, idle, absolute,
                RefreshToken.keptUntilInPlace(idle, absolute), first.currentHash(), null, first.generation()), 200);
        return first.value();
    }

    @Test
    void aFamilyFormExchangeHasOneWinnerAndReplacesTheSecretInPlace() throws Exception {
        var tokens = new JdbcRefreshTokenStore(database);
        Instant absolute = T0.plusSeconds(86_400);
        String value = familyToken(tokens, "u-family", T0.plusSeconds(3_600), absolute);
        PresentedRefreshToken presented = SECRETS.present(value);
        RefreshToken stored = tokens.find(presented.lookupHash()).orElseThrow();
        assertThat(stored.familyForm()).isTrue();
        assertThat(presented.against(stored)).isEqualTo(PresentedRefreshToken.Match.CURRENT);
        assertThat(tokens.findPresented(SECRETS.present(value))).contains(stored);
        Instant now = T0.plusSeconds(5);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<NewRefreshToken> successors = new ArrayList<>();
        NewRefreshToken winner = null;
        try {
            List<Future<Optional<RefreshToken>>> exchanges = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < 8; i++) {
                NewRefreshToken successor = NewRefreshToken.nextInFamily(SECRETS, presented, true, now.plusSeconds(3_600));
                successors.add(successor);
                exchanges.add(pool.submit(() -> {
                    start.await();
                    return tokens.exchangeInPlace(presented, "client1", now, successor);
                }));
            }
            start.countDown();
            for (int i = 0; i < exchanges.size(); i++) {
                Optional<RefreshToken> exchanged = exchanges.get(i).get(30, TimeUnit.SECONDS);
                if (exchanged.isPresent()) {
                    assertThat(winner).as("a second winner").isNull();
                    winner = successors.get(i);
                    // The row as the exchange found it: rotating, exchanged now, the same family.
                    assertThat(exchanged.get().id()).isEqualTo(stored.id());
                    assertThat(exchanged.get().rotating()).isTrue();
                    assertThat(exchanged.get().absoluteExpiresAt()).isEqualTo(absolute);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(winner).isNotNull();
        assertThat(winner.value()).startsWith(value.substring(0, value.indexOf('.') + 1));

        // One row still: the winner's secret is current, the presented one previous, the rest nothing.
        RefreshToken after = tokens.find(presented.lookupHash()).orElseThrow();
        assertThat(SECRETS.present(winner.value()).against(after)).isEqualTo(PresentedRefreshToken.Match.CURRENT);
        assertThat(presented.against(after)).isEqualTo(PresentedRefreshToken.Match.PREVIOUS);
        NewRefreshToken loser = successors.stream().filter(n -> !n.currentHash().equals(after.currentHash()))
                .findFirst().orElseThrow();
        // A loser's successor was never given out: of the live generation but not the live token, it is nothing.
        assertThat(SECRETS.present(loser.value()).against(after)).isEqualTo(PresentedRefreshToken.Match.UNRELATED);
        assertThat(tokens.findPresented(SECRETS.present(value))).as("an exchanged family-form value is no token").isEmpty();
        assertThat(tokens.findPresented(SECRETS.present(winner.value()))).isPresent();
        assertThat(after.idleExpiresAt()).isEqualTo(now.plusSeconds(3_600));
        assertThat(after.lastUsedAt()).isEqualTo(now);
        assertThat(after.rotatedAt()).isNull();
        // The row is kept twice REUSE_MEMORY beyond the idle expiry, within the absolute one: the new idle expiry
        // is still far inside that, so the indexed column kept its value.
        assertThat(after.expiresAt()).isEqualTo(stored.expiresAt()).isEqualTo(absolute);
        // A second exchange of the same (now previous) token takes nothing.
        assertThat(tokens.exchangeInPlace(presented, "client1", now,
                NewRefreshToken.nextInFamily(SECRETS, presented, true, now.plusSeconds(3_600)))).isEmpty();
    }

    @Test
    void beyondTheFamilyCapTheLeastRecentlyUsedFamilyGoesNotTheOldestCreated() {
        var tokens = new JdbcRefreshTokenStore(database);
        RefreshToken old = refreshToken("rt_cap_old", "rt_cap_old", "az_cap", "u-cap", T0);
        RefreshToken idle = refreshToken("rt_cap_idle", "rt_cap_idle", "az_cap", "u-cap", T0.plusSeconds(10));
        tokens.create(old, 2);
        tokens.create(idle, 2);
        // The oldest family is the one in use: a family-form row keeps its first created_at however often it
        // is exchanged, so creation time alone would drop the session that is alive (Auth0: 200 per user and app).
        tokens.touch(old.id(), T0.plusSeconds(20), old.idleExpiresAt(), old.expiresAt());
        tokens.create(refreshToken("rt_cap_new", "rt_cap_new", "az_cap", "u-cap", T0.plusSeconds(30)), 2);
        assertThat(tokens.findById("rt_cap_old")).isPresent();
        assertThat(tokens.findById("rt_cap_idle")).isEmpty();
        assertThat(tokens.findById("rt_cap_new")).isPresent();
    }

    @Test
    void aRowFormTokenIsNoLongerWithinTheLeewayOnceItsFamilyFormSuccessorWasExchanged() {
        var tokens = new JdbcRefreshTokenStore(database);
        RefreshToken old = refreshToken("rt_mixed", "rt_mixed", "az_mixed", "u-mixed", T0);
        tokens.create(old, 200);
        // An earlier release's row, exchanged by this one: its successor takes the family form.
        Instant now = T0.plusSeconds(5);
        NewRefreshToken successor = NewRefreshToken.startFamily(SECRETS, true, now.plusSeconds(3_600));
        assertThat(tokens.exchange(old.tokenHash(), "client1", now, now.plusSeconds(86_400), successor)).isPresent();
        RefreshToken exchangedOld = tokens.find(old.tokenHash()).orElseThrow();
        // Within a 30 s leeway the old token may be used again while its successor is untouched ...
        assertThat(tokens.rotate(exchangedOld, now.plusSeconds(2), 30, now.plusSeconds(86_400)))
                .isInstanceOf(RefreshTokenStore.Exchange.WithinLeeway.class);
        // ... but no longer once the successor was exchanged in place: then the old token is older than the
        // family's previous one, a reuse (Auth0 §4.2).
        PresentedRefreshToken live = SECRETS.present(successor.value());
        assertThat(tokens.exchangeInPlace(live, "client1", now.plusSeconds(3),
                NewRefreshToken.nextInFamily(SECRETS, live, true, now.plusSeconds(3_600)))).isPresent();
        assertThat(tokens.rotate(exchangedOld, now.plusSeconds(4), 30, now.plusSeconds(86_400)))
                .isInstanceOf(RefreshTokenStore.Exchange.Reused.class);
    }

    @Test
    void aFamilyFormExchangeMovesItsKeptUntilOnlyWhenTheFamilyWouldOutliveIt() {
        var tokens = new JdbcRefreshTokenStore(database);
        // No absolute lifetime: the row is kept at least 30 days beyond the idle expiry, stored as 60.
        String value = familyToken(tokens, "u-family-kept", T0.plusSeconds(3_600), null);
        PresentedRefreshToken presented = SECRETS.present(value);
        RefreshToken stored = tokens.find(presented.lookupHash()).orElseThrow();
        assertThat(stored.expiresAt()).isEqualTo(T0.plusSeconds(3_600).plus(RefreshToken.REUSE_MEMORY.multipliedBy(2)));

        // An exchange whose idle expiry stays before the kept-until writes no indexed column.
        Instant soon = T0.plusSeconds(60);
        NewRefreshToken second = NewRefreshToken.nextInFamily(SECRETS, presented, true, soon.plusSeconds(3_600));
        assertThat(tokens.exchangeInPlace(presented, "client1", soon, second)).isPresent();
        assertThat(tokens.find(presented.lookupHash()).orElseThrow().expiresAt()).isEqualTo(stored.expiresAt());

        // One that would leave less than REUSE_MEMORY beyond the new idle expiry moves it to twice that.
        Instant later = stored.expiresAt().minusSeconds(60);
        PresentedRefreshToken secondPresented = SECRETS.present(second.value());
        NewRefreshToken third = NewRefreshToken.nextInFamily(SECRETS, secondPresented, true, later.plusSeconds(3_600));
        Instant idleBefore = tokens.find(presented.lookupHash()).orElseThrow().idleExpiresAt();
        assertThat(idleBefore).isBefore(later);
        // The idle lifetime had run out: nothing is exchanged.
        assertThat(tokens.exchangeInPlace(secondPresented, "client1", later, third)).isEmpty();
        Instant inTime = idleBefore.minusSeconds(1);
        NewRefreshToken fourth = NewRefreshToken.nextInFamily(SECRETS, secondPresented, true,
                inTime.plus(RefreshToken.REUSE_MEMORY));
        assertThat(tokens.exchangeInPlace(secondPresented, "client1", inTime, fourth)).isPresent();
        assertThat(tokens.find(presented.lookupHash()).orElseThrow().expiresAt())
                .isEqualTo(inTime.plus(RefreshToken.REUSE_MEMORY.multipliedBy(3)));
    }

    @Test
    void theOneStepExchangeHasOneWinnerAndStoresTheSuccessorInTheFamily() throws Exception {
        var tokens = new JdbcRefreshTokenStore(database);
        RefreshToken token = refreshToken("rt_x", "rt_x", "az_x1", "u6", T0);
        tokens.create(token, 200);
        Instant now = T0.plusSeconds(5);
        Instant memory = now.plusSeconds(30 * 86_400);

        // Of eight simultaneous exchanges exactly one wins and exactly one successor is stored.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<NewRefreshToken> successors = new ArrayList<>();
        try {
            List<Future<Optional<RefreshToken>>> exchanges = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < 8; i++) {
                NewRefreshToken successor = NewRefreshToken.generate(true, now.plusSeconds(600));
                successors.add(successor);
                exchanges.add(pool.submit(() -> {
                    start.await();
                    return tokens.exchange(token.tokenHash(), "client1", now, memory, successor);
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Optional<RefreshToken>> exchange : exchanges) {
                won += exchange.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        RefreshToken exchanged = tokens.find(token.tokenHash()).orElseThrow();
        assertThat(exchanged.rotatedAt()).isEqualTo(now);
        // The exchanged token is remembered until the family's absolute expiry, for reuse detection.
        assertThat(exchanged.expiresAt()).isEqualTo(token.absoluteExpiresAt());
        List<RefreshToken> stored = successors.stream()
                .flatMap(successor -> tokens.find(successor.tokenHash()).stream()).toList();
        assertThat(stored).hasSize(1);
        RefreshToken successor = stored.get(0);
        // Auth0 §4.2: same family, authorization and scope; idle lifetime restarts, absolute stays.
        assertThat(successor.familyId()).isEqualTo("rt_x");
        assertThat(successor.authorizationId()).isEqualTo("az_x1");
        assertThat(successor.scopes()).isEqualTo(token.scopes());
        assertThat(successor.rotatedAt()).isNull();
        assertThat(successor.createdAt()).isEqualTo(now);
        assertThat(successor.idleExpiresAt()).isEqualTo(now.plusSeconds(600));
        assertThat(successor.absoluteExpiresAt()).isEqualTo(token.absoluteExpiresAt());
        // Valid until its idle expiry, kept for reuse detection 30 days beyond it, within the absolute lifetime.
        assertThat(successor.validUntil()).isEqualTo(now.plusSeconds(600));
        assertThat(successor.expiresAt()).isEqualTo(token.absoluteExpiresAt());
    }

    @Test
    void theOneStepExchangeLeavesAloneWhatItCannotTake() {
        var tokens = new JdbcRefreshTokenStore(database);
        RefreshToken token = refreshToken("rt_y", "rt_y", "az_y", "u7", T0);
        tokens.create(token, 200);
        Instant memory = T0.plusSeconds(86_400 * 30);
        // Another client's token, an expired one (idle lifetime 3600 s), or an unknown one: nothing changes.
        assertThat(tokens.exchange(token.tokenHash(), "client2", T0, memory, NewRefreshToken.generate(true, null)))
                .isEmpty();
        assertThat(tokens.exchange(token.tokenHash(), "client1", T0.plusSeconds(3_600), memory,
                NewRefreshToken.generate(true, null))).isEmpty();
        assertThat(tokens.exchange(SecretHash.of("unknown"), "client1", T0, memory,
                NewRefreshToken.generate(true, null))).isEmpty();
        assertThat(tokens.find(token.tokenHash())).contains(token);
        assertThat(tokens.activeOfUser("u7", 10)).containsExactly(token);
        // Without an idle or absolute lifetime the successor never expires.
        RefreshToken forever = new RefreshToken("rt_z", SecretHash.of("value-rt_z"), "rt_z", "az_z", "client1", "u8",
                null, List.of("offline_access"), null, true, T0, null, null, null, null, RefreshToken.NEVER);
        tokens.create(forever, 200);
        NewRefreshToken successor = NewRefreshToken.generate(true, null);
        assertThat(tokens.exchange(forever.tokenHash(), "client1", T0, memory, successor)).isPresent();
        assertThat(tokens.find(forever.tokenHash()).orElseThrow().expiresAt()).isEqualTo(memory);
        RefreshToken next = tokens.find(successor.tokenHash()).orElseThrow();
        assertThat(next.idleExpiresAt()).isNull();
        assertThat(next.absoluteExpiresAt()).isNull();
        assertThat(next.expiresAt()).isEqualTo(RefreshToken.NEVER);
        assertThat(next.audience()).isNull();
    }

    @Test
    void rotationSwitchesDeleteByFamilyAndByNonRotatingAudience() {
        var tokens = new JdbcRefreshTokenStore(database);
        RefreshToken member = refreshToken("rt_f1", "rt_f1", "az_f", "u9", T0);
        RefreshToken kept = refreshToken("rt_f2", "rt_f1", "az_f", "u9", T0.plusSeconds(1));
        tokens.create(member, 200);
        tokens.create(kept, 200);
        tokens.deleteFamily("rt_f1", "rt_f2");
        assertThat(tokens.findById("rt_f1")).isEmpty();
        assertThat(tokens.findById("rt_f2")).isPresent();

        RefreshToken withApi = nonRotating("rt_n1", "https://things.example/api");
        RefreshToken userinfo = nonRotating("rt_n2", null);
        tokens.create(withApi, 200);
        tokens.create(userinfo, 200);
        tokens.deleteNonRotating("u10", "client1", null);
        assertThat(tokens.findById("rt_n2")).isEmpty();
        assertThat(tokens.findById("rt_n1")).isPresent();
        tokens.deleteNonRotating("u10", "client1", "https://things.example/api");
        assertThat(tokens.findById("rt_n1")).isEmpty();
    }

    private static RefreshToken nonRotating(String id, String audience) {
        return new RefreshToken(id, SecretHash.of("value-" + id), id, "az_" + id, "client1", "u10", audience,
                List.of("offline_access"), null, false, T0, null, null, null, null, RefreshToken.NEVER);
    }

    @Test
    void theLeewayForgivesOnlyTheFamilysPreviousToken() {
        var tokens = new JdbcRefreshTokenStore(database);
        RefreshToken first = refreshToken("rt_a", "rt_a", "az_x", "u2", T0);
        RefreshToken second = refreshToken("rt_b", "rt_a", "az_x", "u2", T0.plusSeconds(10));
        tokens.create(first, 200);
        tokens.rotate(first, T0.plusSeconds(10), 30, T0.plusSeconds(86_400));
        tokens.create(second, 200);
        // Auth0 §4.2: within the leeway the previous token may be exchanged again...
        assertThat(tokens.rotate(first, T0.plusSeconds(20), 30, T0.plusSeconds(86_400)))
                .isInstanceOf(RefreshTokenStore.Exchange.WithinLeeway.class);
        // ...but once the family moved on, the second-to-last token is reuse, leeway or not.
        tokens.rotate(second, T0.plusSeconds(21), 30, T0.plusSeconds(86_400));
        assertThat(tokens.rotate(first, T0.plusSeconds(22), 30, T0.plusSeconds(86_400)))
                .isInstanceOf(RefreshTokenStore.Exchange.Reused.class);
        // And past the leeway, the previous token is reuse too.
        assertThat(tokens.rotate(second, T0.plusSeconds(60), 30, T0.plusSeconds(86_400)))
                .isInstanceOf(RefreshTokenStore.Exchange.Reused.class);
    }

    @Test
    void aUserKeepsAtMost200FamiliesPerClientTheOldestGoFirst() {
        var tokens = new JdbcRefreshTokenStore(database);
        for (int i = 0; i < 203; i++) {
            String id = "rt_%03d".formatted(i);
            tokens.create(refreshToken(id, id, "az_many", "u3", T0.plusSeconds(i)), 200);
        }
        List<RefreshToken> active = tokens.activeOfUser("u3", 1_000);
        assertThat(active).hasSize(200);
        assertThat(active.get(active.size() - 1).id()).isEqualTo("rt_003");
        assertThat(tokens.findById("rt_000")).isEmpty();
        // Auth0's checkpoint paging: each page starts after the previous page's last token.
        List<RefreshToken> paged = new ArrayList<>();
        String from = null;
        do {
            List<RefreshToken> page = tokens.activeOfUser("u3", from, 64);
            paged.addAll(page);
            from = page.size() == 64 ? page.get(63).id() : null;
        } while (from != null);
        assertThat(paged).isEqualTo(active);
        assertThat(tokens.activeOfUser("u3", "rt_unknown", 10)).isEmpty();
    }

    @Test
    void revokingAnAuthorizationTakesEverythingHangingFromItAndKeepsItsRowAsRevoked() {
        var authorizations = new JdbcAuthorizationStore(database.jdbi());
        var tokens = new JdbcRefreshTokenStore(database);
        var opaque = new JdbcOpaqueTokenStore(database.jdbi());
        authorizations.create(authorization("az_r", "u4"));
        authorizations.create(authorization("az_keep", "u5"));
        tokens.create(refreshToken("rt_r", "rt_r", "az_r", "u4", T0), 200);
        tokens.create(refreshToken("rt_keep", "rt_keep", "az_keep", "u5", T0), 200);
        opaque.create(new OpaqueToken("hash-r", "client1", "u4", List.of("openid"), "az_r", T0, T0.plusSeconds(60)));

        AuthorizationStore.Revoked revoked = authorizations.revoke("az_r", T0.plusSeconds(1));
        assertThat(revoked.authorizationIds()).containsExactly("az_r");
        assertThat(revoked.opaqueTokenHashes()).containsExactly("hash-r");
        assertThat(authorizations.findActive("az_r")).isEmpty();
        assertThat(tokens.findById("rt_r")).isEmpty();
        assertThat(opaque.find("hash-r")).isEmpty();
        assertThat(tokens.findById("rt_keep")).isPresent();
        // Revoking twice finds nothing more; revoking by user, grant and session reach the others.
        assertThat(authorizations.revoke("az_r", T0.plusSeconds(2)).authorizationIds()).isEmpty();
        assertThat(authorizations.revokeGrant("u5", "client1", "https://things.example/api", T0).authorizationIds())
                .containsExactly("az_keep");
        // The revoked rows stay until they expire, then the sweeper takes them.
        int rows = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM authorizations")
                .mapTo(Integer.class).one());
        assertThat(rows).isEqualTo(2);
        assertThat(authorizations.deleteExpired(T0.plusSeconds(86_401), 10)).isEqualTo(2);
    }

    @Test
    void databaseAnswersThePing() {
        assertThat(database.ping()).isTrue();
    }

    // --- APIs (resource servers) ---

    @Test
    void resourceServerRoundTripsEveryField() {
        ResourceServer api = new ResourceServer("rs1", "https://things.example/api", "Things", false,
                List.of(new ApiScope("read:things", "Read things"), new ApiScope("write:things", "Write things")),
                SigningAlgorithm.PS256, null, 3600, 1800, true, true, true, TokenDialect.RFC9068_PROFILE_AUTHZ,
                T0, T0.plusMillis(1));

        apis.create(api);

        assertThat(apis.findById("rs1")).contains(api);
        assertThat(apis.findByIdentifier("https://things.example/api")).contains(api);
        assertThat(apis.findById("nope")).isEmpty();
        assertThat(apis.findByIdentifier("https://things.example/api/")).isEmpty();
    }

    @Test
    void hs256SigningSecretIsSealedAtRestAndOpensAgain() {
        String secret = "an-hs256-signing-secret-of-at-least-thirty-two-bytes";
        apis.create(withSecret(api("rs1", "https://hs.example", 0), secret));

        assertThat(apis.findById("rs1").orElseThrow().signingSecret()).isEqualTo(secret);
        String stored = column("SELECT signing_secret_encrypted FROM resource_servers WHERE id = 'rs1'");
        assertThat(stored).startsWith("v1.").doesNotContain(secret)
                .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes()));
    }

    @Test
    void sealedSigningSecretCannotBeOpenedWithAnotherMasterKey() {
        apis.create(withSecret(api("rs1", "https://hs.example", 0), "an-hs256-signing-secret-of-at-least-32-bytes"));
        var otherKey = new JdbcResourceServerStore(database.jdbi(), new MasterKey(bytes(32, (byte) 8)));

        assertThatThrownBy(() -> otherKey.findById("rs1"))
                .hasStackTraceContaining("LATCHKEY_MASTER_KEY");
    }

    @Test
    void duplicateIdentifierIsRejected() {
        apis.create(api("rs1", "https://dup.example", 0));

        assertThatThrownBy(() -> apis.create(api("rs2", "https://dup.example", 1)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(apis.list(new PageRequest(0, 10)).total()).isEqualTo(1);
    }

    @Test
    void updateToATakenIdentifierIsRejected() {
        apis.create(api("rs1", "https://one.example", 0));
        apis.create(api("rs2", "https://two.example", 1));

        assertThatThrownBy(() -> apis.update(withIdentifier(apis.findById("rs2").orElseThrow(), "https://one.example")))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(apis.findById("rs2").orElseThrow().identifier()).isEqualTo("https://two.example");
    }

    @Test
    void resourceServerUpdateAndDelete() {
        ResourceServer api = api("rs1", "https://one.example", 0);
        apis.create(api);
        ResourceServer changed = new ResourceServer("rs1", "https://renamed.example", "Renamed", false,
                List.of(new ApiScope("admin", "Everything")), SigningAlgorithm.RS256, null, 60, 30, false, false,
                false, TokenDialect.ACCESS_TOKEN, api.createdAt(), api.updatedAt().plusSeconds(5));

        apis.update(changed);

        assertThat(apis.findById("rs1")).contains(changed);
        assertThat(apis.findByIdentifier("https://one.example")).isEmpty();
        assertThat(apis.delete("rs1")).isTrue();
        assertThat(apis.delete("rs1")).isFalse();
        assertThat(apis.findById("rs1")).isEmpty();
    }

    @Test
    void findSystemReturnsTheSystemApiOnly() {
        apis.create(api("rs1", "https://plain.example", 0));
        assertThat(apis.findSystem()).isEmpty();

        ResourceServer plain = api("rs2", "http://localhost:8080/api/v2/", 1);
        ResourceServer system = new ResourceServer(plain.id(), plain.identifier(), plain.name(), true, plain.scopes(),
                plain.signingAlg(), null, plain.tokenLifetime(), plain.tokenLifetimeForWeb(), false, false, false,
                plain.tokenDialect(), plain.createdAt(), plain.updatedAt());
        apis.create(system);

        assertThat(apis.findSystem()).contains(system);
    }

    @Test
    void resourceServerPagesAreExact() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // Created out of order: pages follow created_at, not insertion order.
            int slot = (i * 3) % 5;
            apis.create(api("rs" + slot, "https://api" + slot + ".example", slot));
        }
        for (int i = 0; i < 5; i++) {
            ids.add("rs" + i);
        }

        assertPagesExact(apis::list, ResourceServer::id, ids);
    }

    // --- Clients ---

    @Test
    void clientRoundTripsEveryFieldWithItsSealedSecret() {
        String secret = "a-client-secret-with-plenty-of-entropy-0123456789";
        Client client = new Client("client1", "Reporting job", "Nightly reports", AppType.REGULAR_WEB, false, false,
                TokenEndpointAuthMethod.CLIENT_SECRET_BASIC,
                new ClientSecret(SecretHash.of(secret), MASTER_KEY.seal(secret, "clients.client_secret")),
                List.of("client_credentials", "authorization_code"), List.of("https://app.example/callback"),
                List.of("https://app.example/bye"), List.of("https://app.example"), List.of("https://app.example"),
                new JwtConfiguration(600, "HS256", true), Map.of("team", "billing", "tier", "gold"),
                T0, T0.plusMillis(1), null, true);

        clients.create(client);

        Client read = clients.findById("client1").orElseThrow();
        assertThat(read).isEqualTo(client);
        assertThat(read.secret().matches(secret)).isTrue();
        assertThat(read.secret().matches(secret + "x")).isFalse();
        assertThat(MASTER_KEY.openString(read.secret().sealed(), "clients.client_secret")).isEqualTo(secret);
        assertThat(column("SELECT secret_hash FROM clients WHERE client_id = 'client1'"))
                .isEqualTo(SecretHash.of(secret)).doesNotContain(secret);
        assertThat(column("SELECT secret_encrypted FROM clients WHERE client_id = 'client1'"))
                .startsWith("v1.").doesNotContain(secret);
    }

    @Test
    void publicClientHasNoSecret() {
        Client spa = new Client("spa1", "Browser app", null, AppType.SPA, true, false, TokenEndpointAuthMethod.NONE,
                null, List.of("authorization_code"), List.of(), List.of(), List.of(), List.of(),
                JwtConfiguration.DEFAULT, Map.of(), T0, T0, null, false);

        clients.create(spa);

        assertThat(clients.findById("spa1")).contains(spa);
        assertThat(clients.findById("spa1").orElseThrow().confidential()).isFalse();
    }

    @Test
    void duplicateClientIdIsRejected() {
        clients.create(client("client1", 0));

        assertThatThrownBy(() -> clients.create(client("client1", 1))).isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void clientUpdateReplacesFieldsButNotCreationTime() {
        Client client = client("client1", 0);
        clients.create(client);
        Client changed = new Client("client1", "Renamed", "New description", AppType.NATIVE, false, true,
                TokenEndpointAuthMethod.NONE, null, List.of(), List.of("myapp://cb"), List.of(), List.of(), List.of(),
                new JwtConfiguration(60, "RS256", false), Map.of("k", "v"), client.createdAt(), T0.plusSeconds(60),
                new RefreshTokenSettings(true, true, 30, 3600, false, 600, false), true);

        clients.update(changed);

        assertThat(clients.findById("client1")).contains(changed);
    }

    @Test
    void clientPagesAreExact() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            clients.create(client("client" + i, i));
            ids.add("client" + i);
        }

        assertPagesExact(clients::list, Client::clientId, ids);
    }

    @Test
    void deletingAClientDeletesItsGrantsAndNoOthers() {
        clients.create(client("doomed", 0));
        clients.create(client("kept", 1));
        grants.create(grant("g1", "doomed", "https://a.example", 0));
        grants.create(grant("g2", "doomed", "https://b.example", 1));
        grants.create(grant("g3", "kept", "https://a.example", 2));

        assertThat(clients.delete("doomed")).isTrue();

        assertThat(clients.findById("doomed")).isEmpty();
        assertThat(grants.findById("g1")).isEmpty();
        assertThat(grants.findById("g2")).isEmpty();
        assertThat(grants.list(new PageRequest(0, 50), null, null).items())
                .extracting(ClientGrant::id).containsExactly("g3");
    }

    @Test
    void deletingAnUnknownClientReportsFalse() {
        assertThat(clients.delete("nobody")).isFalse();
    }

    // --- Client grants ---

    @Test
    void clientGrantRoundTripsAndIsFoundByClientAndAudience() {
        clients.create(client("client1", 0));
        ClientGrant grant = new ClientGrant("cgr_1", "client1", "https://a.example",
                List.of("read:things", "write:things"), T0);

        grants.create(grant);

        assertThat(grants.findById("cgr_1")).contains(grant);
        assertThat(grants.find("client1", "https://a.example")).contains(grant);
        assertThat(grants.find("client1", "https://b.example")).isEmpty();
        assertThat(grants.find("client2", "https://a.example")).isEmpty();
    }

    @Test
    void secondGrantForTheSameClientAndAudienceIsRejected() {
        clients.create(client("client1", 0));
        clients.create(client("client2", 1));
        grants.create(grant("g1", "client1", "https://a.example", 0));

        assertThatThrownBy(() -> grants.create(grant("g2", "client1", "https://a.example", 1)))
                .isInstanceOf(DuplicateKeyException.class);
        // The same audience for another client, or another audience for the same client, is fine.
        grants.create(grant("g3", "client2", "https://a.example", 2));
        grants.create(grant("g4", "client1", "https://b.example", 3));
        assertThat(grants.list(new PageRequest(0, 50), null, null).total()).isEqualTo(3);
    }

    @Test
    void clientGrantListFiltersAndPagesExactly() {
        clients.create(client("c1", 0));
        clients.create(client("c2", 1));
        List<String> forC1 = new ArrayList<>();
        List<String> forAudienceA = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String client = i % 2 == 0 ? "c1" : "c2";
            String audience = "https://aud" + (i / 2) + ".example";
            String id = "g" + i;
            grants.create(grant(id, client, audience, i));
            all.add(id);
            if (client.equals("c1")) {
                forC1.add(id);
            }
            if (audience.equals("https://aud0.example")) {
                forAudienceA.add(id);
            }
        }

        assertPagesExact(page -> grants.list(page, null, null), ClientGrant::id, all);
        assertPagesExact(page -> grants.list(page, "c1", null), ClientGrant::id, forC1);
        assertPagesExact(page -> grants.list(page, null, "https://aud0.example"), ClientGrant::id, forAudienceA);
        assertThat(grants.list(new PageRequest(0, 50), "c2", "https://aud0.example").items())
                .extracting(ClientGrant::id).containsExactly("g1");
        assertThat(grants.list(new PageRequest(0, 50), "c1", "https://nowhere.example"))
                .isEqualTo(new Page<ClientGrant>(List.of(), 0));
    }

    @Test
    void clientGrantUpdateDeleteAndDeleteByAudience() {
        clients.create(client("c1", 0));
        clients.create(client("c2", 1));
        grants.create(grant("g1", "c1", "https://a.example", 0));
        grants.create(grant("g2", "c2", "https://a.example", 1));
        grants.create(grant("g3", "c1", "https://b.example", 2));

        grants.update(new ClientGrant("g1", "c1", "https://a.example", List.of("only:this"), T0));
        assertThat(grants.findById("g1").orElseThrow().scope()).containsExactly("only:this");

        assertThat(grants.delete("g3")).isTrue();
        assertThat(grants.delete("g3")).isFalse();

        grants.deleteByAudience("https://a.example");
        assertThat(grants.list(new PageRequest(0, 50), null, null).total()).isZero();
    }

    // --- Signing keys ---

    @Test
    void signingKeysRoundTripWithTheirPrivatePartSealed() throws Exception {
        SigningKey current = key(KeyState.CURRENT, 0);
        SigningKey next = key(KeyState.NEXT, 1);

        keys.changeLocked(changes -> {
            changes.insert(current);
            changes.insert(next);
        });

        List<SigningKey> stored = keys.all();
        assertThat(stored).extracting(SigningKey::kid).containsExactly(current.kid(), next.kid());
        SigningKey read = stored.get(0);
        assertThat(read.state()).isEqualTo(KeyState.CURRENT);
        assertThat(read.createdAt()).isEqualTo(current.createdAt());
        assertThat(read.currentSince()).isEqualTo(current.currentSince());
        assertThat(read.currentUntil()).isNull();
        assertThat(read.revokedAt()).isNull();
        assertThat(read.jwk().toPublicJWK()).isEqualTo(current.jwk().toPublicJWK());
        // The private part read back signs what the published public key verifies.
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject("x").build());
        jwt.sign(new RSASSASigner(read.jwk().toRSAPrivateKey()));
        assertThat(jwt.verify(new RSASSAVerifier(current.jwk().toRSAPublicKey()))).isTrue();
        String sealed = column("SELECT private_key_encrypted FROM signing_keys WHERE kid = '" + current.kid() + "'");
        assertThat(sealed).startsWith("v1.")
                .doesNotContain(Base64.getEncoder().encodeToString(current.jwk().toPrivateKey().getEncoded()));
        assertThat(column("SELECT public_jwk FROM signing_keys WHERE kid = '" + current.kid() + "'"))
                .doesNotContain("\"d\"").doesNotContain("\"p\"");
    }

    @Test
    void lockedChangeUpdatesStateAndTimes() {
        SigningKey current = key(KeyState.CURRENT, 0);
        keys.changeLocked(changes -> changes.insert(current));
        Instant until = T0.plusSeconds(30);
        Instant revoked = T0.plusSeconds(60);

        keys.changeLocked(changes -> changes.update(changes.all().get(0)
                .withState(KeyState.REVOKED, current.currentSince(), until, revoked)));

        SigningKey read = keys.all().get(0);
        assertThat(read.state()).isEqualTo(KeyState.REVOKED);
        assertThat(read.currentSince()).isEqualTo(current.currentSince());
        assertThat(read.currentUntil()).isEqualTo(until);
        assertThat(read.revokedAt()).isEqualTo(revoked);
    }

    @Test
    void lockedChangeIsRolledBackWhenItFails() {
        SigningKey key = key(KeyState.NEXT, 0);

        assertThatThrownBy(() -> keys.changeLocked(changes -> {
            changes.insert(key);
            throw new IllegalStateException("half-way");
        })).hasStackTraceContaining("half-way");

        assertThat(keys.all()).isEmpty();
    }

    /**
     * Two nodes running "add a next key unless there is one" at once must add one key, not two:
     * the second waits on the ring lock and then sees the first one's key.
     */
    @Test
    void lockedChangesRunOneAtATime() throws Exception {
        SigningKey first = key(KeyState.NEXT, 0);
        SigningKey second = key(KeyState.NEXT, 1);
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch secondInside = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = pool.submit(() -> keys.changeLocked(changes -> {
                firstInside.countDown();
                insertUnlessNext(changes, first);
                // Without the lock the second change would get in here; with it, it cannot
                // until this transaction ends, so this wait runs out.
                await(secondInside, 300);
            }));
            assertThat(firstInside.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> b = pool.submit(() -> keys.changeLocked(changes -> {
                secondInside.countDown();
                insertUnlessNext(changes, second);
            }));
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(keys.all()).extracting(SigningKey::kid).containsExactly(first.kid());
    }

    @Test
    void ringsStartingTogetherShareOneCurrentAndOneNextKey() throws Exception {
        var ringA = new SigningKeyRing(keys, RSA, Clock.systemUTC());
        var ringB = new SigningKeyRing(new JdbcSigningKeyStore(database.jdbi(), MASTER_KEY), RSA, Clock.systemUTC());

        CompletableFuture.allOf(CompletableFuture.runAsync(ringA::ensureReady),
                CompletableFuture.runAsync(ringB::ensureReady)).get(60, TimeUnit.SECONDS);
        ringA.reload();

        assertThat(keys.all()).extracting(SigningKey::state)
                .containsExactlyInAnyOrder(KeyState.CURRENT, KeyState.NEXT);
        assertThat(ringA.current().kid()).isEqualTo(ringB.current().kid());
        assertThat(ringA.jwksJson()).isEqualTo(ringB.jwksJson());
    }

    /**
     * A node restarting on a complete ring must not queue behind another node's key change (on
     * H2 it would time out after two seconds): it only reads the ring.
     */
    @Test
    void readyRingStartsWithoutWaitingForTheRingLock() throws Exception {
        new SigningKeyRing(keys, RSA, Clock.systemUTC()).ensureReady();
        CountDownLatch lockHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> otherNode = pool.submit(() -> keys.changeLocked(changes -> {
            lockHeld.countDown();
            await(release, 30_000);
        }));
        Future<?> start = null;
        try {
            assertThat(lockHeld.await(30, TimeUnit.SECONDS)).isTrue();
            var restarting = new SigningKeyRing(new JdbcSigningKeyStore(database.jdbi(), MASTER_KEY), RSA,
                    Clock.systemUTC());

            start = pool.submit(restarting::ensureReady);
            start.get(10, TimeUnit.SECONDS);

            assertThat(restarting.current().state()).isEqualTo(KeyState.CURRENT);
        } finally {
            release.countDown();
            // Both finish before the next test empties the tables, pass or fail.
            otherNode.get(30, TimeUnit.SECONDS);
            if (start != null) {
                try {
                    start.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException ignored) {
                    // Already reported above.
                }
            }
            pool.shutdownNow();
        }
    }

    // --- roles and permissions (RBAC) ---

    @Test
    void roleRoundTripsAndItsNameIsUnique() {
        Role role = new Role("rol_1", "Doctor", "Sees patients", T0);
        roles.create(role);

        assertThat(roles.find("rol_1")).contains(role);
        assertThatThrownBy(() -> roles.create(new Role("rol_2", "Doctor", null, T0)))
                .isInstanceOf(DuplicateKeyException.class);
        roles.create(new Role("rol_2", "Nurse", null, T0.plusSeconds(1)));
        assertThatThrownBy(() -> roles.update(new Role("rol_2", "Doctor", null, T0)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(roles.update(role.withNameAndDescription("Senior doctor", null))).isTrue();
        assertThat(roles.find("rol_1").orElseThrow().name()).isEqualTo("Senior doctor");
        assertThat(roles.existing(List.of("rol_1", "rol_2", "rol_3"))).containsExactlyInAnyOrder("rol_1", "rol_2");
        assertThat(roles.delete("rol_1")).isTrue();
        assertThat(roles.delete("rol_1")).isFalse();
    }

    @Test
    void rolePagesAreExactWithAndWithoutANameFilter() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            roles.create(new Role("rol_" + i, "Team_" + i, null, T0.plusSeconds(i)));
            ids.add("rol_" + i);
        }
        roles.create(new Role("rol_x", "Teamx", null, T0.plusSeconds(9)));

        assertPagesExact(page -> roles.list("TEAM_", page), Role::id, ids);
        assertThat(roles.list(null, new PageRequest(0, 100)).total()).isEqualTo(6);
    }

    @Test
    void heldPermissionsJoinRolesAndDirectOnesForOneApi() {
        apis.create(api("rs1", "https://records.example/api", 1));
        apis.create(api("rs2", "https://other.example/api", 2));
        user("auth0|u1");
        roles.create(new Role("rol_1", "Reader", null, T0));
        Permission read = new Permission("https://records.example/api", "read:things");
        Permission other = new Permission("https://other.example/api", "read:things");
        roles.addPermissions("rol_1", List.of(read, read, other));
        roles.assign(List.of("auth0|u1"), List.of("rol_1"));
        roles.assign(List.of("auth0|u1"), List.of("rol_1"));
        userPermissions.add("auth0|u1", List.of(new Permission("https://records.example/api", "write:things")));

        assertThat(userPermissions.held("auth0|u1", "https://records.example/api"))
                .containsExactlyInAnyOrder("read:things", "write:things");
        assertThat(roles.permissions("rol_1", new PageRequest(0, 10)).total()).isEqualTo(2);
        assertThat(roles.rolesOf("auth0|u1", new PageRequest(0, 10)).items()).extracting(Role::id)
                .containsExactly("rol_1");
        assertThat(userPermissions.sources("auth0|u1")).extracting(PermissionSource::direct)
                .containsExactlyInAnyOrder(true, false, false);

        roles.removePermissions("rol_1", List.of(read));
        assertThat(userPermissions.held("auth0|u1", "https://records.example/api")).containsExactly("write:things");
    }

    @Test
    void roleMembersAreReadAfterACheckpointById() {
        for (String id : List.of("auth0|u3", "auth0|u1", "auth0|u2")) {
            user(id);
        }
        roles.create(new Role("rol_1", "Reader", null, T0));
        roles.create(new Role("rol_2", "Writer", null, T0));
        roles.assign(List.of("auth0|u3", "auth0|u1", "auth0|u2"), List.of("rol_1"));
        roles.assign(List.of("auth0|u2"), List.of("rol_2"));

        assertThat(roles.membersAfter("rol_1", null, 2)).containsExactly("auth0|u1", "auth0|u2");
        assertThat(roles.membersAfter("rol_1", "auth0|u2", 2)).containsExactly("auth0|u3");
        assertThat(roles.membersAfter("rol_1", "auth0|u3", 2)).isEmpty();
        // A checkpoint that is no member (since removed) still places the next page.
        assertThat(roles.membersAfter("rol_1", "auth0|u15", 5)).containsExactly("auth0|u2", "auth0|u3");
        assertThat(roles.membersAfter("rol_2", null, 5)).containsExactly("auth0|u2");
    }

    @Test
    void deletingARoleAUserOrAnApiRemovesWhatHungOnIt() {
        apis.create(api("rs1", "https://records.example/api", 1));
        user("auth0|u1");
        user("auth0|u2");
        roles.create(new Role("rol_1", "Reader", null, T0));
        roles.addPermissions("rol_1", List.of(new Permission("https://records.example/api", "read:things")));
        roles.assign(List.of("auth0|u1", "auth0|u2"), List.of("rol_1"));
        assertPagesExact(page -> roles.members("rol_1", page), id -> id, List.of("auth0|u1", "auth0|u2"));

        database.jdbi().useHandle(h -> h.execute("DELETE FROM users WHERE user_id = 'auth0|u2'"));
        assertThat(roles.members("rol_1", new PageRequest(0, 10)).items()).containsExactly("auth0|u1");

        apis.delete("rs1");
        assertThat(userPermissions.held("auth0|u1", "https://records.example/api")).isEmpty();
        assertThat(roles.permissions("rol_1", new PageRequest(0, 10)).total()).isZero();

        roles.delete("rol_1");
        assertThat(roles.rolesOf("auth0|u1", new PageRequest(0, 10)).total()).isZero();
    }

    @Test
    void scopesRemovedFromAnApiAreRemovedFromRolesAndUsers() {
        ResourceServer api = api("rs1", "https://records.example/api", 1);
        apis.create(new ResourceServer(api.id(), api.identifier(), api.name(), false,
                List.of(new ApiScope("read:things", "Read"), new ApiScope("write:things", "Write")), api.signingAlg(),
                null, api.tokenLifetime(), api.tokenLifetimeForWeb(), false, false, true, api.tokenDialect(),
                api.createdAt(), api.updatedAt()));
        user("auth0|u1");
        roles.create(new Role("rol_1", "Writer", null, T0));
        Permission read = new Permission("https://records.example/api", "read:things");
        Permission write = new Permission("https://records.example/api", "write:things");
        roles.addPermissions("rol_1", List.of(read, write));
        userPermissions.add("auth0|u1", List.of(read, write));

        apis.update(api);

        assertThat(roles.permissions("rol_1", new PageRequest(0, 10)).items()).containsExactly(read);
        assertThat(userPermissions.sources("auth0|u1")).extracting(PermissionSource::permission)
                .containsExactly(read);
        apis.update(new ResourceServer(api.id(), api.identifier(), api.name(), false, List.of(), api.signingAlg(),
                null, api.tokenLifetime(), api.tokenLifetimeForWeb(), false, false, true, api.tokenDialect(),
                api.createdAt(), api.updatedAt()));
        assertThat(userPermissions.held("auth0|u1", "https://records.example/api")).isEmpty();
    }

    @Test
    void rolesDeletedWhilePermissionsAreReadAndAssignedBreakNothing() throws Exception {
        apis.create(api("rs1", "https://records.example/api", 1));
        user("auth0|u1");
        Permission read = new Permission("https://records.example/api", "read:things");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> churn = pool.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    roles.create(new Role("rol_c" + i, "Churn " + i, null, T0));
                    roles.addPermissions("rol_c" + i, List.of(read));
                    roles.assign(List.of("auth0|u1"), List.of("rol_c" + i));
                    roles.delete("rol_c" + i);
                }
            });
            // Assigning a role that is being deleted skips it; reading sees it wholly or not at all.
            Future<?> assigning = pool.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    roles.assign(List.of("auth0|u1"), List.of("rol_c" + i));
                }
            });
            Future<?> reading = pool.submit(() -> {
                while (!churn.isDone()) {
                    assertThat(userPermissions.held("auth0|u1", "https://records.example/api"))
                            .isSubsetOf("read:things");
                }
            });
            churn.get(30, TimeUnit.SECONDS);
            assigning.get(30, TimeUnit.SECONDS);
            reading.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(userPermissions.held("auth0|u1", "https://records.example/api")).isEmpty();
    }

    @Test
    void assigningAGoneRoleOrUserIsSkippedNotFailed() {
        user("auth0|u1");
        roles.assign(List.of("auth0|u1", "auth0|gone"), List.of("rol_gone"));
        assertThat(roles.rolesOf("auth0|u1", new PageRequest(0, 10)).total()).isZero();
        userPermissions.add("auth0|u1", List.of(new Permission("https://gone.example/api", "read:x")));
        assertThat(userPermissions.sources("auth0|u1")).isEmpty();
    }

    // --- helpers ---

    private static <T> void assertPagesExact(Function<PageRequest, Page<T>> list, Function<T, String> id,
                                             List<String> expected) {
        int total = expected.size();
        for (int perPage : new int[]{1, 2, 3, total, total + 1, 100}) {
            List<String> seen = new ArrayList<>();
            int pages = (total + perPage - 1) / perPage;
            for (int page = 0; page < pages; page++) {
                Page<T> result = list.apply(new PageRequest(page, perPage));
                assertThat(result.total()).as("total, page %d of %d per page", page, perPage).isEqualTo(total);
                int expectedSize = Math.min(perPage, total - page * perPage);
                assertThat(result.items()).as("page %d of %d per page", page, perPage).hasSize(expectedSize);
                result.items().forEach(item -> seen.add(id.apply(item)));
            }
            assertThat(seen).as("all pages of %d", perPage).containsExactlyElementsOf(expected);
            // The page after the last is empty but still tells the total.
            Page<T> beyond = list.apply(new PageRequest(pages, perPage));
            assertThat(beyond.items()).as("page after the last, %d per page", perPage).isEmpty();
            assertThat(beyond.total()).isEqualTo(total);
        }
        assertThat(list.apply(new PageRequest(1_000, 100)).items()).isEmpty();
    }

    private static void insertUnlessNext(dev.latchkey.server.keys.SigningKeyStore.Changes changes, SigningKey key) {
        if (changes.all().stream().noneMatch(k -> k.state() == KeyState.NEXT)) {
            changes.insert(key);
        }
    }

    private static void await(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A user row, with the connection it needs; the other columns as their defaults. */
    private void user(String userId) {
        database.jdbi().useHandle(h -> {
            h.execute("""
                    INSERT INTO connections (id, name, strategy, enabled_clients, options, created_at, updated_at)
                    SELECT 'con_1', 'db', 'auth0', '[]', '{}', 0, 0
                    WHERE NOT EXISTS (SELECT 1 FROM connections WHERE id = 'con_1')""");
            h.createUpdate("""
                    INSERT INTO users (user_id, connection, email, email_verified, user_metadata, app_metadata, blocked,
                        created_at, updated_at, logins_count)
                    VALUES (:id, 'db', :email, TRUE, '{}', '{}', FALSE, 0, 0, 0)""")
                    .bind("id", userId).bind("email", userId + "@example.com").execute();
        });
    }

    private String column(String sql) {
        return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }

    private static ResourceServer api(String id, String identifier, int second) {
        Instant created = T0.plusSeconds(second);
        return new ResourceServer(id, identifier, "API " + id, false, List.of(new ApiScope("read:things", "Read")),
                SigningAlgorithm.RS256, null, 86_400, 7_200, false, false, false, TokenDialect.ACCESS_TOKEN,
                created, created);
    }

    private static ResourceServer withSecret(ResourceServer api, String secret) {
        return new ResourceServer(api.id(), api.identifier(), api.name(), api.system(), api.scopes(),
                SigningAlgorithm.HS256, secret, api.tokenLifetime(), api.tokenLifetimeForWeb(),
                api.allowOfflineAccess(), api.skipConsentForVerifiableFirstPartyClients(), api.enforcePolicies(),
                api.tokenDialect(), api.createdAt(), api.updatedAt());
    }

    private static ResourceServer withIdentifier(ResourceServer api, String identifier) {
        return new ResourceServer(api.id(), identifier, api.name(), api.system(), api.scopes(), api.signingAlg(),
                api.signingSecret(), api.tokenLifetime(), api.tokenLifetimeForWeb(), api.allowOfflineAccess(),
                api.skipConsentForVerifiableFirstPartyClients(), api.enforcePolicies(), api.tokenDialect(),
                api.createdAt(), api.updatedAt());
    }

    private static Client client(String id, int second) {
        Instant created = T0.plusSeconds(second);
        String secret = "secret-of-" + id + "-with-enough-length-to-be-real";
        return new Client(id, "Client " + id, null, AppType.NON_INTERACTIVE, true, false,
                TokenEndpointAuthMethod.CLIENT_SECRET_POST,
                new ClientSecret(SecretHash.of(secret), MASTER_KEY.seal(secret, "clients.client_secret")),
                List.of("client_credentials"), List.of(), List.of(), List.of(), List.of(), JwtConfiguration.DEFAULT,
                Map.of(), created, created, null, false);
    }

    private static ClientGrant grant(String id, String clientId, String audience, int second) {
        return new ClientGrant(id, clientId, audience, List.of("read:things"), T0.plusSeconds(second));
    }

    private static SigningKey key(KeyState state, int second) {
        Instant created = T0.plusSeconds(second);
        var jwk = RSA.generate();
        return new SigningKey(jwk.getKeyID(), state, jwk, created, state == KeyState.CURRENT ? created : null,
                null, null);
    }

    private static byte[] bytes(int length, byte value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, value);
        return bytes;
    }

    // Connections, upstream identities and upstream logins (V15).

    @Test
    void anUpstreamsClientSecretIsSealedAtRestAndReadBack() {
        var connections = new JdbcConnectionStore(database.jdbi(), MASTER_KEY);
        var connection = new dev.latchkey.server.identity.Connection("con_sealed", "sealed-oidc", "oidc", "Sealed",
                List.of("app"), java.util.Map.of("client_id", "rp", "issuer", "https://idp.example.com"),
                "upstream-secret-value", List.of(), java.util.Map.of("team", "a"), false, true, T0, T0);
        connections.create(connection);
        String raw = database.jdbi().withHandle(h -> h.createQuery(
                "SELECT options || sealed_secret FROM connections WHERE id = 'con_sealed'").mapTo(String.class).one());
        assertThat(raw).doesNotContain("upstream-secret-value");
        assertThat(connections.findByName("sealed-oidc").orElseThrow().clientSecret()).isEqualTo("upstream-secret-value");
        assertThat(connections.findById("con_sealed").orElseThrow().metadata()).containsEntry("team", "a");
        assertThat(connections.delete("con_sealed")).isTrue();
        assertThat(connections.findById("con_sealed")).isEmpty();
    }

    @Test
    void idpTokensAreSealedAtRestAndReadBack() {
        var identities = new JdbcIdentityStore(database.jdbi(), MASTER_KEY);
        identities.save(new dev.latchkey.server.identity.Identity("idp", "sub-1", "oidc|idp|sub-1", "oidc",
                java.util.Map.of("email", "a@idp.example"), "idp-access-token", "idp-refresh-token", 3599L, T0));
        String raw = database.jdbi().withHandle(h -> h.createQuery(
                "SELECT access_token || refresh_token FROM user_identities WHERE subject = 'sub-1'")
                .mapTo(String.class).one());
        assertThat(raw).doesNotContain("idp-access-token").doesNotContain("idp-refresh-token");
        var read = identities.ofUser("oidc|idp|sub-1");
        assertThat(read).hasSize(1);
        assertThat(read.get(0).accessToken()).isEqualTo("idp-access-token");
        assertThat(read.get(0).refreshToken()).isEqualTo("idp-refresh-token");
        assertThat(read.get(0).expiresIn()).isEqualTo(3599L);
        assertThat(read.get(0).profileData()).containsEntry("email", "a@idp.example");
    }

    @Test
    void oneCallerAtATimeRefreshesAnIdentitysTokensAndALoginInBetweenWins() {
        var identities = new JdbcIdentityStore(database.jdbi(), MASTER_KEY);
        identities.save(new dev.latchkey.server.identity.Identity("idp", "sub-2", "oidc|idp|sub-2", "oidc",
                java.util.Map.of(), "access-1", "refresh-1", 60L, T0));
        var stored = identities.tokens("idp", "sub-2").orElseThrow();
        assertThat(stored.expiresAt()).isEqualTo(T0.plusSeconds(60));
        Instant until = T0.plusSeconds(15);
        assertThat(identities.claimRefresh("idp", "sub-2", T0, until)).isTrue();
        assertThat(identities.claimRefresh("idp", "sub-2", T0.plusSeconds(1), T0.plusSeconds(16))).isFalse();
        // A null refresh token keeps the stored one (the provider did not rotate it).
        assertThat(identities.saveRefreshed("idp", "sub-2", until, new dev.latchkey.server.upstream.IdpTokenStore
                .Refreshed("access-2", null, 3600L, T0.plusSeconds(3602), T0.plusSeconds(2)))).isTrue();
        var refreshed = identities.tokensOf("oidc|idp|sub-2", "idp").get(0);
        assertThat(refreshed.accessToken()).isEqualTo("access-2");
        assertThat(refreshed.refreshToken()).isEqualTo("refresh-1");
        assertThat(refreshed.expiresAt()).isEqualTo(T0.plusSeconds(3602));
        assertThat(refreshed.refreshClaimedUntil()).isNull();
        // A claim that outlived its deadline can be taken over; a login in between replaces the row and wins.
        assertThat(identities.claimRefresh("idp", "sub-2", T0, T0.plusSeconds(20))).isTrue();
        assertThat(identities.claimRefresh("idp", "sub-2", T0.plusSeconds(20), T0.plusSeconds(40))).isTrue();
        identities.save(new dev.latchkey.server.identity.Identity("idp", "sub-2", "oidc|idp|sub-2", "oidc",
                java.util.Map.of(), "access-login", "refresh-login", 60L, T0.plusSeconds(21)));
        assertThat(identities.saveRefreshed("idp", "sub-2", T0.plusSeconds(40), new dev.latchkey.server.upstream
                .IdpTokenStore.Refreshed("access-3", "refresh-3", 60L, T0.plusSeconds(82), T0.plusSeconds(22))))
                .isFalse();
        assertThat(identities.tokens("idp", "sub-2").orElseThrow().refreshToken()).isEqualTo("refresh-login");
    }

    @Test
    void anIdentityIsReplacedOnlyForTheUserItStillBelongsTo() {
        var identities = new JdbcIdentityStore(database.jdbi(), MASTER_KEY);
        var first = new dev.latchkey.server.identity.Identity("idp", "sub-4", "oidc|idp|sub-4", "oidc",
                java.util.Map.of("name", "First"), "access-1", null, 60L, T0);
        assertThat(identities.save(first)).isTrue();
        // Its owner's next login replaces it.
        assertThat(identities.save(new dev.latchkey.server.identity.Identity("idp", "sub-4", "oidc|idp|sub-4", "oidc",
                java.util.Map.of("name", "Again"), "access-2", null, 60L, T0.plusSeconds(1)))).isTrue();
        // A login that read another owner (a link moved the identity meanwhile) writes nothing.
        assertThat(identities.save(new dev.latchkey.server.identity.Identity("idp", "sub-4", "auth0|someone-else",
                "oidc", java.util.Map.of("name", "Stale"), "access-3", null, 60L, T0.plusSeconds(2)))).isFalse();
        var stored = identities.find("idp", "sub-4").orElseThrow();
        assertThat(stored.userId()).isEqualTo("oidc|idp|sub-4");
        assertThat(stored.accessToken()).isEqualTo("access-2");
        assertThat(stored.profileData()).containsEntry("name", "Again");
    }

    /** An oidc connection named {@code idp}, the users' connection in the upstream login tests below. */
    private void insertIdpConnection() {
        database.jdbi().useHandle(h -> h.execute("""
                INSERT INTO connections (id, name, strategy, enabled_clients, options, created_at, updated_at)
                VALUES ('con_idp', 'idp', 'oidc', '[]', '{}', 0, 0)"""));
    }

    @Test
    void theHolderOfAnIdentityIsFoundWhetherItIsTheirOwnOrLinkedIntoThem() {
        insertIdpConnection();
        var users = new JdbcUserStore(database.jdbi());
        var identities = new JdbcIdentityStore(database.jdbi(), MASTER_KEY);
        for (String id : List.of("oidc|idp|own", "auth0|primary")) {
            users.create(new dev.latchkey.server.identity.User(id, "idp", null, false, id, null, null, id, null,
                    java.util.Map.of(), java.util.Map.of(), false, T0, T0, null, 0, null, null), null);
        }
        identities.save(new dev.latchkey.server.identity.Identity("idp", "own", "oidc|idp|own", "oidc",
                java.util.Map.of(), null, null, null, T0));
        identities.save(new dev.latchkey.server.identity.Identity("idp", "linked", "auth0|primary", "oidc",
                java.util.Map.of(), null, null, null, T0));
        identities.save(new dev.latchkey.server.identity.Identity("idp", "orphan", "oidc|idp|gone", "oidc",
                java.util.Map.of(), null, null, null, T0));
        assertThat(users.findByIdentity("idp", "own")).map(dev.latchkey.server.identity.User::userId)
                .contains("oidc|idp|own");
        assertThat(users.findByIdentity("idp", "linked")).map(dev.latchkey.server.identity.User::userId)
                .contains("auth0|primary");
        assertThat(users.findByIdentity("idp", "orphan")).isEmpty();
        assertThat(users.findByIdentity("idp", "unknown")).isEmpty();
        assertThat(users.findByIdentity("other", "own")).isEmpty();
    }

    @Test
    void anUpstreamLoginWritesTheProvidersFieldsAndCountsTheLoginInOneWriteKeepingOurs() {
        insertIdpConnection();
        var users = new JdbcUserStore(database.jdbi());
        var user = new dev.latchkey.server.identity.User("oidc|idp|sub-5", "idp", "old@corp.example", false, "Old",
                null, null, "old", null, java.util.Map.of(), java.util.Map.of(), false, T0, T0, null, 0, null, null);
        users.create(user, null);
        // An administrator sets metadata and blocks the user after the login read the row (Auth0: user_metadata,
        // app_metadata and blocked are ours, never the provider's).
        database.jdbi().useHandle(h -> h.execute("UPDATE users SET app_metadata = '{\"plan\":\"gold\"}', "
                + "blocked = TRUE WHERE user_id = 'oidc|idp|sub-5'"));
        var fromProvider = new dev.latchkey.server.identity.User(user.userId(), "idp", "new@corp.example", true,
                "New", "N", "Ew", "new", "https://corp.example/p.png", java.util.Map.of(), java.util.Map.of(), false,
                T0, T0.plusSeconds(5), null, 0, null, null);
        users.recordUpstreamLogin(fromProvider, T0.plusSeconds(5), "192.0.2.7", true);
        var stored = users.findById(user.userId()).orElseThrow();
        assertThat(stored.email()).isEqualTo("new@corp.example");
        assertThat(stored.emailVerified()).isTrue();
        assertThat(stored.name()).isEqualTo("New");
        assertThat(stored.picture()).isEqualTo("https://corp.example/p.png");
        assertThat(stored.appMetadata()).containsEntry("plan", "gold");
        assertThat(stored.blocked()).isTrue();
        assertThat(stored.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(stored.lastLogin()).isEqualTo(T0.plusSeconds(5));
        assertThat(stored.loginsCount()).isEqualTo(1);
        // A blocked user's login updates the profile and is not counted.
        users.recordUpstreamLogin(fromProvider, T0.plusSeconds(9), "192.0.2.7", false);
        stored = users.findById(user.userId()).orElseThrow();
        assertThat(stored.updatedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(stored.lastLogin()).isEqualTo(T0.plusSeconds(5));
        assertThat(stored.loginsCount()).isEqualTo(1);
    }

    @Test
    void aRefreshTokenAnotherCallerRotatedWhileThisOneReadTheRowIsNeverSpent() {
        var identities = new JdbcIdentityStore(database.jdbi(), MASTER_KEY);
        identities.save(new dev.latchkey.server.identity.Identity("idp", "sub-3", "oidc|idp|sub-3", "oidc",
                java.util.Map.of(), "access-1", "refresh-1", 10L, T0));
        Instant now = T0.plusSeconds(60);
        // This caller read the row (access-1 expired, refresh-1) ...
        var staleRead = identities.tokensOf("oidc|idp|sub-3", "idp");
        // ... then another caller claimed, refreshed (the provider rotated refresh-1 into refresh-2) and let go.
        Instant otherClaim = now.plusSeconds(15);
        assertThat(identities.claimRefresh("idp", "sub-3", now, otherClaim)).isTrue();
        assertThat(identities.saveRefreshed("idp", "sub-3", otherClaim, new dev.latchkey.server.upstream.IdpTokenStore
                .Refreshed("access-2", "refresh-2", 3600L, now.plusSeconds(3600), now))).isTrue();
        var spent = new java.util.ArrayList<String>();
        var stale = new dev.latchkey.server.upstream.IdpTokenStore() {
            public java.util.List<IdpTokens> tokensOf(String userId, String connection) {
                return staleRead;
            }

            public java.util.Optional<IdpTokens> tokens(String connection, String subject) {
                return identities.tokens(connection, subject);
            }

            public boolean claimRefresh(String connection, String subject, Instant at, Instant until) {
                return identities.claimRefresh(connection, subject, at, until);
            }

            public boolean saveRefreshed(String connection, String subject, Instant claimedUntil, Refreshed tokens) {
                return identities.saveRefreshed(connection, subject, claimedUntil, tokens);
            }

            public void releaseClaim(String connection, String subject, Instant claimedUntil) {
                identities.releaseClaim(connection, subject, claimedUntil);
            }
        };
        var vault = new dev.latchkey.server.upstream.IdpTokenVault(stale, (connection, token) -> {
            spent.add(token);
            throw new AssertionError("refresh-1 was rotated: spending it again would look like theft (RFC 9700 §4.14.2)");
        }, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
        var answer = vault.accessToken("oidc|idp|sub-3", dev.latchkey.server.identity.Connection.of("con_1", "idp",
                "oidc", null, java.util.List.of(), java.util.Map.of(), T0, T0), null);
        assertThat(spent).isEmpty();
        assertThat(answer).isInstanceOfSatisfying(dev.latchkey.server.upstream.IdpTokenVault.Answer.Token.class,
                token -> assertThat(token.accessToken()).isEqualTo("access-2"));
        assertThat(identities.tokens("idp", "sub-3").orElseThrow().refreshClaimedUntil()).isNull();
    }

    @Test
    void aSessionsUpstreamIdTokenIsSealedAtRestAndReadBack() {
        var sessions = new JdbcSsoSessionStore(database.jdbi(), MASTER_KEY);
        sessions.create(new SsoSession("hash-up", "sid-up", "oidc|idp|u", T0, T0, T0.plusSeconds(7_200), null,
                new dev.latchkey.server.identity.UpstreamSignIn("idp", "upstream.id.token")));
        String raw = database.jdbi().withHandle(h -> h.createQuery(
                "SELECT upstream_id_token FROM sso_sessions WHERE id_hash = 'hash-up'").mapTo(String.class).one());
        assertThat(raw).doesNotContain("upstream.id.token");
        assertThat(sessions.find("hash-up").orElseThrow().upstream())
                .isEqualTo(new dev.latchkey.server.identity.UpstreamSignIn("idp", "upstream.id.token"));
        assertThat(sessions.findBySid("sid-up").orElseThrow().upstream().connection()).isEqualTo("idp");
    }

    @Test
    void anUpstreamLoginIsConsumedOnceAndNotAfterItExpires() {
        var logins = new JdbcUpstreamLoginStore(database.jdbi(), MASTER_KEY);
        logins.create(new dev.latchkey.server.upstream.UpstreamLogin("hash-1", "idp", "tx-1", "verifier-1",
                "nonce-1", T0.plusSeconds(600)));
        var first = logins.consume("hash-1", T0);
        assertThat(first).isPresent();
        assertThat(first.get().transactionId()).isEqualTo("tx-1");
        assertThat(first.get().codeVerifier()).isEqualTo("verifier-1");
        assertThat(first.get().nonce()).isEqualTo("nonce-1");
        // RFC 9700 §4.7: a state is good once.
        assertThat(logins.consume("hash-1", T0)).isEmpty();
        logins.create(new dev.latchkey.server.upstream.UpstreamLogin("hash-2", "idp", "tx-2", "v", "n",
                T0.plusSeconds(600)));
        assertThat(logins.consume("hash-2", T0.plusSeconds(600))).isEmpty();
    }

    @Test
    void anAuthorizationCodeIsSpentOnceByItsOwnClientAndItsReplayIsRecognised() throws Exception {
        var codes = new JdbcAuthorizationCodeStore(database.jdbi());
        codes.create(new dev.latchkey.server.oauth.grant.AuthorizationCode("code-race", "client-1", "https://app/cb",
                null, null, null, List.of("openid"), null, "auth0|u", T0, null, T0, T0.plusSeconds(60), null,
                T0.plusSeconds(60), null, null, true));
        // RFC 6749 §4.1.3: another client cannot spend it, and does not learn it exists.
        assertThat(codes.consume("code-race", "client-2", T0, T0.plusSeconds(600))).isEmpty();
        int first = 0;
        for (Consumed consumed : atOnce(4, () -> codes.consume("code-race", "client-1", T0.plusSeconds(1),
                T0.plusSeconds(600)).orElseThrow())) {
            // RFC 6749 §4.1.2: single use; every later use is a replay of the same, now spent, code.
            assertThat(consumed.code().consumedAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(consumed.code().expiresAt()).isEqualTo(T0.plusSeconds(600));
            first += consumed instanceof Consumed.First ? 1 : 0;
        }
        assertThat(first).isEqualTo(1);
        assertThat(codes.consume("code-unknown", "client-1", T0, T0.plusSeconds(600))).isEmpty();
    }

    @Test
    void aSealedCodeIsSpentOnceInItsAuthorizationByItsOwnClient() throws Exception {
        var authorizations = new JdbcAuthorizationStore(database.jdbi());
        authorizations.create(authorization("az-code", "auth0|coder"));
        // RFC 6749 §4.1.3: another client cannot spend it, and does not learn it exists.
        assertThat(authorizations.spendCode("az-code", "client-2", T0)).isEmpty();
        assertThat(authorizations.spendCode("az-none", "client1", T0)).isEmpty();
        int first = 0;
        for (var spend : atOnce(4, () -> authorizations.spendCode("az-code", "client1", T0.plusSeconds(1))
                .orElseThrow())) {
            // RFC 6749 §4.1.2: single use; every later use is a replay, answered with the authorization.
            assertThat(spend.authorization().id()).isEqualTo("az-code");
            assertThat(spend.authorization().userId()).isEqualTo("auth0|coder");
            first += spend.first() ? 1 : 0;
        }
        assertThat(first).isEqualTo(1);
        // A revoked authorization's code (a logout before the exchange) is spent by nobody; nor is an expired one's.
        authorizations.create(authorization("az-revoked", "auth0|coder"));
        authorizations.revoke("az-revoked", T0);
        assertThat(authorizations.spendCode("az-revoked", "client1", T0.plusSeconds(1))).isEmpty();
        authorizations.create(authorization("az-expired", "auth0|coder"));
        assertThat(authorizations.spendCode("az-expired", "client1", T0.plusSeconds(86_400))).isEmpty();
    }

    @Test
    void callbacksRacingWithOneStateGetItOnce() throws Exception {
        var logins = new JdbcUpstreamLoginStore(database.jdbi(), MASTER_KEY);
        logins.create(new dev.latchkey.server.upstream.UpstreamLogin("hash-race", "idp", "tx-r", "v", "n",
                T0.plusSeconds(600)));
        // RFC 9700 §4.7.1: the state is single-use across every concurrent callback.
        assertThat(atOnce(4, () -> logins.consume("hash-race", T0).isPresent())).containsOnlyOnce(true);
    }

    /** What {@code callers} threads answer, each calling {@code call} at the same moment. */
    private static <T> List<T> atOnce(int callers, java.util.concurrent.Callable<T> call) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            var futures = new ArrayList<java.util.concurrent.Future<T>>();
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> answers = new ArrayList<>();
            for (var future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
