package dev.latchkey.server.upstream;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.Identity;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.JdbcAccountLinkStore;
import dev.latchkey.server.store.JdbcConnectionStore;
import dev.latchkey.server.store.JdbcIdentityStore;
import dev.latchkey.server.store.JdbcUserStore;
import dev.latchkey.server.testing.FakeGitHub;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auth0 Token Vault's refresh token exchange ({@link IdpTokenVault}) when callers meet on one user's provider tokens:
 * real H2 storage, the real {@code github} strategy, and {@link FakeGitHub}, whose refresh tokens are single use
 * (GitHub Apps rotate them; RFC 9700 §4.14.2: a provider may take a second use of a rotated refresh token as theft
 * and revoke the grant). What happens in between two steps of a caller is staged by {@link ActingStore}.
 */
class IdpTokenVaultRaceTest {

    static final Instant T0 = Instant.ofEpochMilli(1_760_000_000_000L);
    static final String OWNER = "github|9090";
    static final String OTHER = "auth0|other-user";
    static final String DATABASE = "Username-Password-Authentication";
    static final FakeGitHub.User OCTO = new FakeGitHub.User("octo", 9090, "Octo Cat", null, List.of());

    static FakeGitHub github;
    static Connection connection;
    static UpstreamStrategies strategies;

    Database database;
    MasterKey masterKey;
    JdbcIdentityStore identities;
    MovableClock clock;

    @BeforeAll
    static void startProvider() throws Exception {
        github = FakeGitHub.start();
        Map<String, Object> options = new LinkedHashMap<>(TestServer.JSON.readValue("{" + github.endpointOptions()
                + "}", new TypeReference<Map<String, Object>>() { }));
        options.put("client_id", FakeGitHub.CLIENT_ID);
        connection = new Connection("con_github", "github", "github", null, List.of(), options,
                FakeGitHub.CLIENT_SECRET, List.of(), Map.of(), false, true, T0, T0);
        UpstreamHttp http = new UpstreamHttp();
        strategies = new UpstreamStrategies(new OidcUpstream(new OidcProviders(http, java.time.Clock.systemUTC()),
                http), new OAuth2Upstream(http));
    }

    @AfterAll
    static void stopProvider() {
        if (github != null) {
            github.close();
        }
    }

    @BeforeEach
    void openDatabase() {
        database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 9);
        masterKey = new MasterKey(key);
        identities = new JdbcIdentityStore(database.jdbi(), masterKey);
        clock = new MovableClock(T0);
        github.misbehave(FakeGitHub.Misbehaviour.NONE);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void aCallerMeetingAnotherCallersRefreshWaitsAtMostMaxWaitThenIsToldToRetryWhileTheProviderIsStillSlow()
            throws Exception {
        // The stored token still works for 10 s: less than the margin, so it is refreshed first.
        saveOwnersIdentity("gho_old", github.refreshTokenFor(OCTO), 10L, T0);
        github.misbehave(FakeGitHub.Misbehaviour.REFRESH_SLOW);
        IdpTokenVault vault = vault(identities);
        int refreshesBefore = github.refreshCalls();
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<IdpTokenVault.Answer> refreshing = first.submit(() -> vault.accessToken(OWNER, connection, null));
            awaitClaim();

            long start = System.nanoTime();
            IdpTokenVault.Answer waiting = vault.accessToken(OWNER, connection, null);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            // Not the provider's whole deadline: a slow provider must not park every request thread of a client's
            // parallel exchanges. The exchange answers 503 temporarily_unavailable with Retry-After.
            assertThat(refreshing).as("the provider still answers the first caller").isNotDone();
            assertThat(waited).as("one second's wait, and slack").isLessThan(Duration.ofSeconds(2));
            assertThat(waiting).isInstanceOfSatisfying(IdpTokenVault.Answer.Unavailable.class,
                    unavailable -> assertThat(unavailable.description()).contains("retry"));

            IdpTokenVault.Answer refreshed = refreshing.get(FakeGitHub.SLOW_MILLIS * 3, TimeUnit.MILLISECONDS);
            String renewed = ((IdpTokenVault.Answer.Token) refreshed).accessToken();
            assertThat(renewed).startsWith("gho_").isNotEqualTo("gho_old");
            assertThat(github.knows(renewed)).isTrue();
            // The waiter spent nothing; once the refresh is stored, its token is answered without the provider.
            assertThat(vault.accessToken(OWNER, connection, null)).isInstanceOfSatisfying(
                    IdpTokenVault.Answer.Token.class, token -> assertThat(token.accessToken()).isEqualTo(renewed));
            assertThat(github.refreshCalls() - refreshesBefore).isEqualTo(1);
        } finally {
            first.shutdownNow();
        }
    }

    @Test
    void aRefreshTokenAnotherNodeRotatedBetweenTheReadAndTheClaimIsNeverSpentAgain() {
        saveOwnersIdentity("gho_expired", github.refreshTokenFor(OCTO), 60L, T0.minusSeconds(3600));
        IdpTokenVault otherNode = vault(identities);
        String[] otherNodesToken = new String[1];
        // This caller has read the row; before it claims, another node claims, refreshes (GitHub rotates the
        // refresh token) and lets go.
        ActingStore store = new ActingStore(identities, () -> otherNodesToken[0] = ((IdpTokenVault.Answer.Token)
                otherNode.accessToken(OWNER, connection, null)).accessToken(), () -> { });
        int refreshesBefore = github.refreshCalls();

        IdpTokenVault.Answer answer = vault(store).accessToken(OWNER, connection, null);

        assertThat(github.refreshCalls() - refreshesBefore).as("the rotated refresh token spent again").isEqualTo(1);
        assertThat(answer).isInstanceOfSatisfying(IdpTokenVault.Answer.Token.class,
                token -> assertThat(token.accessToken()).isEqualTo(otherNodesToken[0]));
        assertThat(identities.tokens("github", "9090").orElseThrow().refreshClaimedUntil()).isNull();
    }

    @Test
    void anIdentityLinkedToAnotherUserBetweenTheReadAndTheClaimIsNotRefreshedForItsFormerOwner() {
        saveOwnersIdentity("gho_expired", github.refreshTokenFor(OCTO), 60L, T0.minusSeconds(3600));
        String refreshToken = identities.tokens("github", "9090").orElseThrow().refreshToken();
        JdbcConnectionStore connections = new JdbcConnectionStore(database.jdbi(), masterKey);
        connections.create(connection);
        connections.create(Connection.of("con_db", DATABASE, "auth0", null, List.of(), Map.of(), T0, T0));
        JdbcUserStore users = new JdbcUserStore(database.jdbi());
        user(users, OWNER, "github");
        user(users, OTHER, DATABASE);
        // Auth0 account linking: the GitHub user becomes a secondary of another; its identity is that user's now.
        ActingStore store = new ActingStore(identities, () -> new JdbcAccountLinkStore(database.jdbi())
                .link(OTHER, OWNER, Map.of(), T0), () -> { });
        int refreshesBefore = github.refreshCalls();

        IdpTokenVault.Answer answer = vault(store).accessToken(OWNER, connection, null);

        assertThat(answer).isInstanceOf(IdpTokenVault.Answer.Missing.class);
        assertThat(github.refreshCalls() - refreshesBefore).as("the other user's refresh token spent")
                .isEqualTo(0);
        IdpTokenStore.IdpTokens row = identities.tokens("github", "9090").orElseThrow();
        assertThat(row.userId()).isEqualTo(OTHER);
        assertThat(row.refreshToken()).isEqualTo(refreshToken);
        assertThat(row.refreshClaimedUntil()).isNull();
    }

    @Test
    void aCallerWaitingForAnotherNodesRefreshGetsNothingOnceTheIdentityIsAnotherUsers() {
        saveOwnersIdentity("gho_expired", github.refreshTokenFor(OCTO), 60L, T0.minusSeconds(3600));
        // Another node holds the claim; while this caller waits, that node stores its refresh and the identity moves
        // to another user (what an unlink and a link to that user leave in the row).
        Instant otherClaim = T0.plusSeconds(15);
        assertThat(identities.claimRefresh("github", "9090", T0, otherClaim)).isTrue();
        ActingStore store = new ActingStore(identities, () -> { }, () -> {
            identities.saveRefreshed("github", "9090", otherClaim, new IdpTokenStore.Refreshed("gho_other_users",
                    null, 3600L, T0.plusSeconds(3600), T0));
            database.jdbi().useHandle(h -> h.execute(
                    "UPDATE user_identities SET user_id = ? WHERE connection = 'github' AND subject = '9090'", OTHER));
        });

        IdpTokenVault.Answer answer = vault(store).accessToken(OWNER, connection, null);

        assertThat(answer).isInstanceOf(IdpTokenVault.Answer.Missing.class);
    }

    private IdpTokenVault vault(IdpTokenStore store) {
        return new IdpTokenVault(store, strategies::refresh, clock);
    }

    private void saveOwnersIdentity(String accessToken, String refreshToken, Long expiresIn, Instant at) {
        assertThat(identities.save(new Identity("github", "9090", OWNER, "github", Map.of("login", "octo"),
                accessToken, refreshToken, expiresIn, at))).isTrue();
    }

    private void awaitClaim() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (identities.tokens("github", "9090").orElseThrow().refreshClaimedUntil() == null) {
            assertThat(System.nanoTime()).as("the first caller's claim").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void user(JdbcUserStore users, String userId, String connectionName) {
        users.create(new User(userId, connectionName, null, false, userId, null, null, userId, null, Map.of(),
                Map.of(), false, T0, T0, null, 0, null, null), null);
    }

    /**
     * The real store, with what another caller does run once just before this caller claims the refresh
     * ({@code beforeClaim}) and once just before it reads one identity's row ({@code beforeRead}).
     */
    private static final class ActingStore implements IdpTokenStore {

        private final IdpTokenStore real;
        private Runnable beforeClaim;
        private Runnable beforeRead;

        ActingStore(IdpTokenStore real, Runnable beforeClaim, Runnable beforeRead) {
            this.real = real;
            this.beforeClaim = beforeClaim;
            this.beforeRead = beforeRead;
        }

        @Override
        public List<IdpTokens> tokensOf(String userId, String connection) {
            return real.tokensOf(userId, connection);
        }

        @Override
        public Optional<IdpTokens> tokens(String connection, String subject) {
            Runnable once = beforeRead;
            beforeRead = () -> { };
            once.run();
            return real.tokens(connection, subject);
        }

        @Override
        public boolean claimRefresh(String connection, String subject, Instant now, Instant until) {
            Runnable once = beforeClaim;
            beforeClaim = () -> { };
            once.run();
            return real.claimRefresh(connection, subject, now, until);
        }

        @Override
        public boolean saveRefreshed(String connection, String subject, Instant claimedUntil, Refreshed tokens) {
            return real.saveRefreshed(connection, subject, claimedUntil, tokens);
        }

        @Override
        public void releaseClaim(String connection, String subject, Instant claimedUntil) {
            real.releaseClaim(connection, subject, claimedUntil);
        }
    }
}
