package dev.latchkey.server.identity;

import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.store.DuplicateKeyException;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Ensures, at every start and idempotently, that Auth0's default database connection
 * ({@value UserDirectory#DEFAULT_CONNECTION}) exists.
 */
public final class DefaultConnection {

    private DefaultConnection() {
    }

    public static Connection ensure(ConnectionStore connections, Clock clock) {
        return connections.findByName(UserDirectory.DEFAULT_CONNECTION).orElseGet(() -> {
            Instant now = clock.instant();
            Connection connection = Connection.of("con_" + RandomStrings.alphanumeric(16),
                    UserDirectory.DEFAULT_CONNECTION, Connection.DATABASE_STRATEGY, null, List.of(),
                    // What this connection enforces, in Auth0's option names.
                    ConnectionOptions.DATABASE_DEFAULTS,
                    now, now);
            try {
                connections.create(connection);
                return connection;
            } catch (DuplicateKeyException e) {
                // Another node created it at the same moment.
                return connections.findByName(UserDirectory.DEFAULT_CONNECTION).orElseThrow();
            }
        });
    }
}
