package dev.latchkey.server.store;

import dev.latchkey.server.token.NewRefreshToken;
import dev.latchkey.server.token.RefreshToken;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage contract on the real PostgreSQL, in a schema of its own; skipped with a loud message
 * when PostgreSQL is unreachable, failed when {@code CI=true}.
 */
class PostgresStoreContractTest extends StoreContract {

    @Override
    protected Database open() {
        return postgres();
    }

    @Test
    void theFamilyFormWaitsUntilNoConnectionOfAnEarlierReleaseIsOpenAndThisReleaseNamesItsOwn() throws Exception {
        requireAvailable();
        // This release's connections carry its name; the releases before it left the driver's default.
        String name = database.jdbi().withHandle(h -> h.createQuery("SELECT current_setting('application_name')")
                .mapTo(String.class).one());
        assertThat(name).isEqualTo(ReleaseGate.APPLICATION_NAME);
        assertThat(ReleaseGate.UNNAMED).isEqualTo(org.postgresql.PGProperty.APPLICATION_NAME.getDefaultValue());

        // An "earlier release" here is a connection under a name of this test's own, so that nothing else on
        // the database can stand in for it.
        String earlier = "earlier-release-" + System.nanoTime();
        var clock = new dev.latchkey.server.testing.MovableClock(T0);
        var gate = new ReleaseGate(database, clock, earlier);
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", PostgresSchema.USER);
        properties.setProperty("ApplicationName", earlier);
        try (Connection old = java.sql.DriverManager.getConnection(PostgresSchema.SERVER_URL, properties)) {
            assertThat(old.isValid(1)).isTrue();
            assertThat(gate.newFormsReadEverywhere()).isFalse();
        }
        // Read again only after RECHECK: until then the last answer stands.
        assertThat(gate.newFormsReadEverywhere()).isFalse();
        // PostgreSQL lists a closed connection until its backend has exited, a moment later: read again until
        // then, each read RECHECK apart on the gate's clock.
        boolean open = false;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!open && System.nanoTime() < deadline) {
            clock.advance(ReleaseGate.RECHECK);
            open = gate.newFormsReadEverywhere();
            if (!open) {
                Thread.sleep(20);
            }
        }
        assertThat(open).as("the gate opens once the earlier release's connection is gone").isTrue();
    }

    @Test
    void refreshTokenPagesKeepRoomForInPlaceUpdates() {
        requireAvailable();
        // V9: an exchange changes no indexed column; with room in its page PostgreSQL updates the row in place.
        String options = database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT array_to_string(reloptions, ',') FROM pg_class
                        WHERE relname = 'refresh_tokens' AND relnamespace = current_schema()::regnamespace""")
                .mapTo(String.class).one());
        assertThat(options).isEqualTo("fillfactor=70");
    }

    @Test
    void anExchangeCommitsWithoutWaitingForTheDiskUnlessTheDatabaseSaysDurableAndLeavesTheSessionAsItWas() {
        requireAvailable();
        String schema = database.jdbi().withHandle(h -> h.createQuery("SELECT current_schema()")
                .mapTo(String.class).one());
        NewRefreshToken successor = NewRefreshToken.generate(true, T0.plusSeconds(600));
        RefreshToken token = refreshToken("rt_async", "rt_async", "az_async", "u_async", T0);
        var tokens = new JdbcRefreshTokenStore(database);
        tokens.create(token, 200);
        assertThat(tokens.exchange(token.tokenHash(), "client1", T0.plusSeconds(5), T0.plusSeconds(86_400),
                successor)).isPresent();
        // set_config(..., true) lasts the statement's transaction: the pooled connection keeps its own setting.
        String setting = database.jdbi().withHandle(h -> h.createQuery("SHOW synchronous_commit")
                .mapTo(String.class).one());
        assertThat(setting).isEqualTo("on");

        // latchkey.refresh_commit = durable (here for the connection; an operator sets it on the role or database).
        try (Database durable = Database.open(PostgresSchema.SERVER_URL + "?currentSchema=" + schema
                + "&options=-c%20" + JdbcRefreshTokenStore.DURABLE_SETTING + "%3Ddurable", PostgresSchema.USER, null)) {
            var durableTokens = new JdbcRefreshTokenStore(durable);
            RefreshToken next = durableTokens.find(successor.tokenHash()).orElseThrow();
            assertThat(durableTokens.exchange(next.tokenHash(), "client1", T0.plusSeconds(6), T0.plusSeconds(86_400),
                    NewRefreshToken.generate(true, T0.plusSeconds(600)))).isPresent();
            String mode = durable.jdbi().withHandle(h -> h.createQuery("SHOW " + JdbcRefreshTokenStore.DURABLE_SETTING)
                    .mapTo(String.class).one());
            assertThat(mode).isEqualTo("durable");
        }
    }

    @Test
    void theExchangesOwnTransactionCommitsAsynchronouslyUnlessDurableIsAsked() throws Exception {
        requireAvailable();
        String schema = database.jdbi().withHandle(h -> h.createQuery("SELECT current_schema()")
                .mapTo(String.class).one());
        var tokens = new JdbcRefreshTokenStore(database);
        RefreshToken first = refreshToken("rt_mode1", "rt_mode1", "az_mode", "u_mode", T0);
        RefreshToken second = refreshToken("rt_mode2", "rt_mode2", "az_mode", "u_mode", T0);
        tokens.create(first, 200);
        tokens.create(second, 200);
        assertThat(commitModeInsideTheExchange(database, first)).isEqualTo("off");
        try (Database durable = Database.open(PostgresSchema.SERVER_URL + "?currentSchema=" + schema
                + "&options=-c%20" + JdbcRefreshTokenStore.DURABLE_SETTING + "%3Ddurable", PostgresSchema.USER, null)) {
            assertThat(commitModeInsideTheExchange(durable, second)).isEqualTo("on");
        }
    }

    /** Runs the exchange statement in a transaction left open, reads the commit mode it set, and rolls back. */
    private static String commitModeInsideTheExchange(Database database, RefreshToken token) throws Exception {
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement exchange = JdbcRefreshTokenStore.EXCHANGE.prepare(connection,
                    JdbcRefreshTokenStore.exchangeParameters(token.tokenHash(), "client1", T0.plusSeconds(5),
                            T0.plusSeconds(86_400), NewRefreshToken.generate(true, T0.plusSeconds(600))));
                 ResultSet exchanged = exchange.executeQuery();
                 Statement show = connection.createStatement();
                 ResultSet mode = show.executeQuery("SHOW synchronous_commit")) {
                assertThat(exchanged.next()).isTrue();
                assertThat(mode.next()).isTrue();
                return mode.getString(1);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }
}
