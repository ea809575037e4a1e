package dev.latchkey.server.store;

import dev.latchkey.server.identity.AccountLinkStore;
import dev.latchkey.server.identity.AccountLinkStore.Outcome;
import dev.latchkey.server.identity.Identity;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserQuery;
import dev.latchkey.server.identity.UserSort;
import dev.latchkey.server.identity.UserStore;
import dev.latchkey.server.keys.MasterKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Account linking's storage contract, run on H2 and PostgreSQL: a link moves the secondary's identities (an
 * upstream provider's tokens still open), turns a database secondary into an identity whose email and password
 * hash log the primary in and that no new user may take, and deletes the secondary; an unlink gives it back;
 * a secondary holding links is refused; two links in opposite directions racing leave exactly one winner (V18).
 */
abstract class AccountLinkStoreContract extends ContractDatabase {

    private static final Instant T0 = Instant.ofEpochMilli(1_760_000_000_123L);
    private static final String DATABASE = "Username-Password-Authentication";
    private static final String UPSTREAM = "corp-oidc";

    private UserStore users;
    private JdbcIdentityStore identities;
    private AccountLinkStore links;

    @Override
    protected void opened(Database database) {
        users = new JdbcUserStore(database.jdbi());
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 9);
        identities = new JdbcIdentityStore(database.jdbi(), new MasterKey(key));
        links = new JdbcAccountLinkStore(database.jdbi());
    }

    @BeforeEach
    void emptyTables() {
        requireAvailable();
        database.jdbi().useHandle(h -> {
            h.execute("DELETE FROM user_identities");
            h.execute("DELETE FROM users");
            h.execute("DELETE FROM connections");
            for (String[] connection : new String[][] {{"con_db", DATABASE, "auth0"}, {"con_up", UPSTREAM, "oidc"}}) {
                h.createUpdate("""
                                INSERT INTO connections (id, name, strategy, enabled_clients, options, created_at,
                                    updated_at) VALUES (:id, :name, :strategy, '[]', '{}', 0, 0)""")
                        .bind("id", connection[0]).bind("name", connection[1]).bind("strategy", connection[2])
                        .execute();
            }
        });
    }

    private User databaseUser(String id) {
        User user = new User("auth0|" + id, DATABASE, id + "@example.com", true, id, null, null, id, null,
                Map.of("mine", id), Map.of(), false, T0, T0, null, 0, null, null);
        users.create(user, "hash-" + id);
        return user;
    }

    private User upstreamUser(String subject) {
        User user = new User("oidc|" + UPSTREAM + "|" + subject, UPSTREAM, subject + "@corp.example", true, subject,
                null, null, subject, null, Map.of(), Map.of(), false, T0, T0, null, 0, null, null);
        users.create(user, null);
        identities.save(new Identity(UPSTREAM, subject, user.userId(), "oidc", Map.of("sub", subject),
                "at-" + subject, "rt-" + subject, 3600L, T0));
        return user;
    }

    @Test
    void aUserListIsCountedOnlyWhenTheTotalIsAsked() {
        databaseUser("counted-a");
        databaseUser("counted-b");
        databaseUser("counted-c");
        // Auth0 include_totals: without it the answer is a bare array, and a count of every user is not run.
        var counted = users.list(UserQuery.ALL, UserSort.DEFAULT, new PageRequest(0, 2, true));
        var uncounted = users.list(UserQuery.ALL, UserSort.DEFAULT, new PageRequest(0, 2, false));
        assertThat(counted.total()).isEqualTo(3);
        assertThat(uncounted.total()).isEqualTo(Page.UNCOUNTED);
        assertThat(uncounted.items()).isEqualTo(counted.items());
    }

    @Test
    void aLinkedIdentitysPasswordHashIsUpgradedWhereItIsHeld() {
        User primary = databaseUser("upgrader");
        User secondary = databaseUser("upgraded");
        assertThat(links.link(primary.userId(), secondary.userId(), Map.of(), T0)).isEqualTo(Outcome.DONE);
        // Its password logged the primary in with an old hash: the new one replaces the identity's, not the user's.
        users.rehash(primary.userId(), "hash-upgraded", "argon2-upgraded");
        assertThat(users.credentials(DATABASE, secondary.email()).orElseThrow().passwordHash())
                .isEqualTo("argon2-upgraded");
        assertThat(users.credentials(DATABASE, primary.email()).orElseThrow().passwordHash())
                .isEqualTo("hash-upgrader");
    }

    @Test
    void anEmailHeldByAUserAndALinkedIdentityGivesTheUsersOwnCredentials() {
        User primary = databaseUser("holder");
        User secondary = databaseUser("twice");
        assertThat(links.link(primary.userId(), secondary.userId(), Map.of(), T0)).isEqualTo(Outcome.DONE);
        // A sign-up racing the link can leave the email with a user as well: the user's own account answers.
        User signedUp = new User("auth0|signed-up", DATABASE, secondary.email(), false, null, null, null, null, null,
                Map.of(), Map.of(), false, T0, T0, null, 0, null, null);
        database.jdbi().useHandle(h -> JdbcUserStore.insert(h, signedUp, "hash-signed-up"));
        for (int i = 0; i < 3; i++) {
            UserStore.Credentials credentials = users.credentials(DATABASE, secondary.email()).orElseThrow();
            assertThat(credentials.user().userId()).isEqualTo(signedUp.userId());
            assertThat(credentials.passwordHash()).isEqualTo("hash-signed-up");
        }
    }

    @Test
    void aLinkedDatabaseUsersPasswordLogsThePrimaryInUntilUnlinked() {
        requireAvailable();
        User primary = databaseUser("primary");
        User secondary = databaseUser("secondary");

        assertThat(links.link(primary.userId(), secondary.userId(), Map.of("email", secondary.email()), T0))
                .isEqualTo(Outcome.DONE);

        assertThat(users.findById(secondary.userId())).isEmpty();
        List<Identity> held = identities.ofUser(primary.userId());
        assertThat(held).hasSize(1);
        assertThat(held.get(0).ownUserId()).isEqualTo(secondary.userId());
        assertThat(held.get(0).profileData()).containsEntry("email", secondary.email());
        UserStore.Credentials credentials = users.credentials(DATABASE, secondary.email()).orElseThrow();
        assertThat(credentials.user().userId()).isEqualTo(primary.userId());
        assertThat(credentials.passwordHash()).isEqualTo("hash-secondary");
        assertThat(users.credentials(DATABASE, primary.email()).orElseThrow().passwordHash()).isEqualTo("hash-primary");
        // Its email stays taken in the connection, by a new user or by a change of email.
        assertThatThrownBy(() -> databaseUser("secondary")).isInstanceOf(DuplicateKeyException.class);
        User other = databaseUser("other");
        assertThatThrownBy(() -> users.update(new User(other.userId(), DATABASE, secondary.email(), true, "o", null,
                null, "o", null, Map.of(), Map.of(), false, T0, T0, null, 0, null, null)))
                .isInstanceOf(DuplicateKeyException.class);

        User restored = new User(secondary.userId(), DATABASE, secondary.email(), true, "secondary", null, null,
                "secondary", null, Map.of(), Map.of(), false, T0, T0, null, 0, null, null);
        assertThat(links.unlink(primary.userId(), held.get(0), restored)).isEqualTo(Outcome.DONE);
        assertThat(identities.ofUser(primary.userId())).isEmpty();
        credentials = users.credentials(DATABASE, secondary.email()).orElseThrow();
        assertThat(credentials.user().userId()).isEqualTo(secondary.userId());
        assertThat(credentials.passwordHash()).isEqualTo("hash-secondary");
        assertThat(credentials.user().userMetadata()).isEmpty();
        // Spent: the same unlink again finds nothing to move.
        assertThat(links.unlink(primary.userId(), held.get(0), restored)).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void anUpstreamSecondaryMovesWithItsTokensAndComesBack() {
        requireAvailable();
        User primary = databaseUser("holder");
        User upstream = upstreamUser("alice");

        assertThat(links.link(primary.userId(), upstream.userId(), Map.of(), T0)).isEqualTo(Outcome.DONE);
        Identity moved = identities.find(UPSTREAM, "alice").orElseThrow();
        assertThat(moved.userId()).isEqualTo(primary.userId());
        assertThat(moved.accessToken()).isEqualTo("at-alice");
        assertThat(moved.refreshToken()).isEqualTo("rt-alice");
        assertThat(identities.ofUsers(List.of(primary.userId(), "auth0|none")))
                .containsOnlyKeys(primary.userId());

        assertThat(links.unlink(primary.userId(), moved, upstream)).isEqualTo(Outcome.DONE);
        assertThat(identities.find(UPSTREAM, "alice").orElseThrow().userId()).isEqualTo(upstream.userId());
        assertThat(users.findById(upstream.userId())).isPresent();
        assertThat(links.unlink(primary.userId(), moved, new User("oidc|" + UPSTREAM + "|bob", UPSTREAM, null, false,
                "bob", null, null, "bob", null, Map.of(), Map.of(), false, T0, T0, null, 0, null, null)))
                .isEqualTo(Outcome.IDENTITY_GONE);
    }

    @Test
    void aSecondaryHoldingLinksOrAMissingUserIsRefused() {
        requireAvailable();
        User first = databaseUser("first");
        User second = databaseUser("second");
        User third = databaseUser("third");
        assertThat(links.link(second.userId(), third.userId(), Map.of(), T0)).isEqualTo(Outcome.DONE);

        assertThat(links.link(first.userId(), second.userId(), Map.of(), T0)).isEqualTo(Outcome.SECONDARY_HAS_LINKS);
        assertThat(users.findById(second.userId())).isPresent();
        assertThat(links.link(first.userId(), third.userId(), Map.of(), T0)).isEqualTo(Outcome.SECONDARY_GONE);
        assertThat(links.link("auth0|gone", first.userId(), Map.of(), T0)).isEqualTo(Outcome.PRIMARY_GONE);
    }

    @Test
    void aSecondaryBlockedAfterTheCallersCheckIsStillRefused() {
        requireAvailable();
        User primary = databaseUser("keeper");
        User secondary = databaseUser("blocked-late");
        // An administrator blocks the secondary after AccountLinking read it unblocked: the store reads it again
        // under its lock, or the blocked user's password would log the primary in.
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE users SET blocked = TRUE WHERE user_id = :id")
                .bind("id", secondary.userId()).execute());
        assertThat(links.link(primary.userId(), secondary.userId(), Map.of(), T0)).isEqualTo(Outcome.SECONDARY_BLOCKED);
        assertThat(users.findById(secondary.userId())).isPresent();
    }

    @Test
    void oppositeLinksRacingLeaveExactlyOneWinner() throws Exception {
        requireAvailable();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                User a = databaseUser("a" + round);
                User b = databaseUser("b" + round);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Outcome>> outcomes = new ArrayList<>();
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return links.link(a.userId(), b.userId(), Map.of(), T0);
                }));
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return links.link(b.userId(), a.userId(), Map.of(), T0);
                }));
                start.countDown();
                List<Outcome> seen = new ArrayList<>();
                for (Future<Outcome> outcome : outcomes) {
                    seen.add(outcome.get());
                }
                assertThat(seen).containsOnlyOnce(Outcome.DONE);
                long left = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM users WHERE user_id IN (:a, :b)")
                        .bind("a", a.userId()).bind("b", b.userId()).mapTo(Long.class).one());
                assertThat(left).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
