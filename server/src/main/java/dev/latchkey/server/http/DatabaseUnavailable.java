package dev.latchkey.server.http;

import dev.latchkey.server.store.StoreUnavailableException;
import org.jdbi.v3.core.ConnectionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Recognises an error that means "the database cannot be reached right now" rather than "this request is
 * wrong" or "the server has a bug": the pool gave up waiting for a connection (Hikari's
 * {@link SQLTransientConnectionException}), JDBI could not open one ({@link ConnectionException}), the store
 * said so ({@link StoreUnavailableException}), the driver reported a broken connection (SQLState class
 * {@code 08}, "connection exception", in SQL:2016 and PostgreSQL alike), or PostgreSQL is stopping or starting
 * (its {@code 57P01} admin_shutdown, {@code 57P02} crash_shutdown and {@code 57P03} cannot_connect_now: the
 * connections of a request in flight when the database is stopped end with the first). Such a request can
 * succeed if retried later, so it earns a 503 with {@code Retry-After}, not a 500.
 */
final class DatabaseUnavailable {

    /** RFC 9110 §10.2.3: a delay in seconds. A few seconds covers a failover or a restart of the database. */
    static final String RETRY_AFTER_SECONDS = "5";
    /** PostgreSQL's SQLStates of class 57 (operator intervention) for a database shutting down or starting. */
    private static final Set<String> STOPPING_OR_STARTING = Set.of("57P01", "57P02", "57P03");

    private DatabaseUnavailable() {
    }

    static boolean causedBy(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof ConnectionException
                    || cause instanceof StoreUnavailableException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
                    || STOPPING_OR_STARTING.contains(sql.getSQLState()))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
