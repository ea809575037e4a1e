package dev.latchkey.server.store;

import dev.latchkey.server.identity.AccountLinkException;
import dev.latchkey.server.identity.AccountLinkStore;
import dev.latchkey.server.identity.AccountLinking;
import dev.latchkey.server.identity.Identity;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserAccounts;
import dev.latchkey.server.identity.UserStore;
import dev.latchkey.server.keys.MasterKey;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Account linking against real H2 stores when the link transaction loses a race: the primary is deleted between
 * the checks and the transaction. The secondary must stay whole; its grants were revoked before the transaction
 * (Auth0 "Link a user account": the secondary is removed, as a user deletion revokes), since once the transaction
 * has deleted them no revocation can tell the nodes' caches which tokens to forget.
 */
class AccountLinkingRaceTest extends ContractDatabase {

    private static final Instant T0 = Instant.ofEpochMilli(1_760_000_000_000L);
    private static final String DATABASE = "Username-Password-Authentication";

    private UserStore users;
    private JdbcIdentityStore identities;
    private JdbcConnectionStore connections;

    @Override
    protected Database open() {
        return h2();
    }

    @Override
    protected void opened(Database database) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        users = new JdbcUserStore(database.jdbi());
        identities = new JdbcIdentityStore(database.jdbi(), new MasterKey(key));
        connections = new JdbcConnectionStore(database.jdbi(), new MasterKey(key));
        database.jdbi().useHandle(h -> h.execute("""
                INSERT INTO connections (id, name, strategy, enabled_clients, options, created_at, updated_at)
                VALUES ('con_db', 'Username-Password-Authentication', 'auth0', '[]', '{}', 0, 0)"""));
    }

    @Test
    void aLinkThatLosesARaceLeavesTheSecondaryWholeAndLoggedOut() {
        User primary = user("primary");
        User secondary = user("secondary");
        List<String> revoked = new ArrayList<>();
        AccountLinkStore real = new JdbcAccountLinkStore(database.jdbi());
        AccountLinkStore primaryDeletedMeanwhile = new AccountLinkStore() {
            @Override
            public Outcome link(String primaryId, String secondaryId, Map<String, Object> profile, Instant at) {
                users.delete(primaryId);
                return real.link(primaryId, secondaryId, profile, at);
            }

            @Override
            public Outcome unlink(String primaryId, Identity identity, User restored) {
                return real.unlink(primaryId, identity, restored);
            }
        };
        AccountLinking linking = linking(primaryDeletedMeanwhile, revoked);

        assertThatThrownBy(() -> linking.link(primary.userId(), secondary.userId()))
                .isInstanceOf(AccountLinkException.class);
        assertThat(revoked).containsExactly(secondary.userId());
        assertThat(users.findById(secondary.userId())).isPresent();
    }

    @Test
    void aLinkThatTakesPlaceRevokesTheSecondarysGrants() {
        User primary = user("primary2");
        User secondary = user("secondary2");
        List<String> revoked = new ArrayList<>();

        linking(new JdbcAccountLinkStore(database.jdbi()), revoked).link(primary.userId(), secondary.userId());

        assertThat(revoked).containsExactly(secondary.userId());
        assertThat(users.findById(secondary.userId())).isEmpty();
    }

    private AccountLinking linking(AccountLinkStore links, List<String> revoked) {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        UserAccounts accounts = new UserAccounts(users, connections, null, null, id -> { }, clock, identities);
        return new AccountLinking(accounts, users, identities, links, connections, revoked::add, clock);
    }

    private User user(String name) {
        User user = new User("auth0|" + name, DATABASE, name + "@example.com", true, name, null, null, name, null,
                Map.of(), Map.of(), false, T0, T0, null, 0, null, null);
        users.create(user, "hash-" + name);
        return user;
    }
}
