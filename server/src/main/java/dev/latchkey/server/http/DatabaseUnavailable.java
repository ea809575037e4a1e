package dev.latchkey.server.http;

import dev.latchkey.server.store.StoreUnavailableException;
import org.jdbi.v3.core.ConnectionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Recognises an error that means "the database cannot be reached right now" rather than "this request is
 * wrong" or "the server has a bug": the pool gave up waiting for a connection (Hikari's
 * {@link SQLTransientConnectionException}), JDBI could not open one ({@link ConnectionException}), the store
 * said so ({@link StoreUnavailableException}), or the driver reported a broken connection (SQLState class
 * {@code 08}, "connection exception", in SQL:2016 and PostgreSQL alike). Such a request can succeed if
 * retried later, so it earns a 503 with {@code Retry-After}, not a 500.
 */
final class DatabaseUnavailable {

    /** RFC 9110 §10.2.3: a delay in seconds. A few seconds covers a failover or a restart of the database. */
    static final String RETRY_AFTER_SECONDS = "5";

    private DatabaseUnavailable() {
    }

    static boolean causedBy(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof ConnectionException
                    || cause instanceof StoreUnavailableException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
