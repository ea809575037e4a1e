package dev.latchkey.server.http;

import dev.latchkey.server.store.StoreUnavailableException;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which errors mean "the database is away" (a 503) rather than a bug (a 500) or a bad request (a 400). */
class DatabaseUnavailableTest {

    @Test
    void aConnectionFailureAnywhereInTheCausesIsAnOutage() {
        assertThat(DatabaseUnavailable.causedBy(new ConnectionException(
                new SQLTransientConnectionException("latchkey - Connection is not available")))).isTrue();
        assertThat(DatabaseUnavailable.causedBy(new IllegalStateException("wrapped",
                new SQLTransientConnectionException("timeout")))).isTrue();
        assertThat(DatabaseUnavailable.causedBy(new StoreUnavailableException("down", null))).isTrue();
        // SQLState class 08: the driver lost or could not open its connection.
        assertThat(DatabaseUnavailable.causedBy(new RuntimeException(new SQLException("I/O error", "08006"))))
                .isTrue();
    }

    @Test
    void aDatabaseStoppingOrStartingIsAnOutage() {
        // PostgreSQL ends the connections of requests in flight with 57P01 when it is stopped (pg_ctl stop -m
        // fast), and refuses new ones with 57P03 while it shuts down or starts; 57P02 after a crash.
        for (String state : new String[] {"57P01", "57P02", "57P03"}) {
            assertThat(DatabaseUnavailable.causedBy(new IllegalStateException(
                    new SQLException("FATAL: terminating connection due to administrator command", state))))
                    .as(state).isTrue();
        }
        // A statement cancelled (57014, a statement timeout) is the request's own failure, not an outage.
        assertThat(DatabaseUnavailable.causedBy(new RuntimeException(new SQLException("canceled", "57014")))).isFalse();
    }

    @Test
    void otherDatabaseErrorsAreNot() {
        assertThat(DatabaseUnavailable.causedBy(new RuntimeException(new SQLException("bad text", "22021"))))
                .isFalse();
        assertThat(DatabaseUnavailable.causedBy(new RuntimeException(new SQLException("no state")))).isFalse();
        assertThat(DatabaseUnavailable.causedBy(new NullPointerException())).isFalse();
    }
}
