package dev.latchkey.server.store;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The pool, failing at once while the database is known to be unreachable. Once the pool has given up
 * waiting for a connection, every request for one in the next {@link #PROBE_INTERVAL_NANOS} fails at once,
 * and then a single caller tries the pool again while the others keep failing fast. Without this, requests
 * that queue behind one another (a cache loading the same key, one loader at a time) each wait the pool's
 * whole timeout in turn, and the last of eight waits eight seconds for its 503. The first request after the
 * database is back, at most one interval later, gets a connection and clears the outage.
 */
final class FailFastDataSource implements DataSource {

    static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long UP = Long.MIN_VALUE;

    private final DataSource pool;
    /** {@link #UP}, or the {@link System#nanoTime()} until which the database counts as unreachable. */
    private final AtomicLong downUntil = new AtomicLong(UP);

    FailFastDataSource(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long until = downUntil.get();
        if (until != UP) {
            long now = System.nanoTime();
            // Inside the interval everyone fails fast; after it, the one caller that moves it on probes.
            if (now - until < 0 || !downUntil.compareAndSet(until, now + PROBE_INTERVAL_NANOS)) {
                throw new SQLTransientConnectionException(
                        "The database is unreachable: the last attempt to connect failed less than a second ago",
                        "08001");
            }
        }
        try {
            Connection connection = pool.getConnection();
            downUntil.set(UP);
            return connection;
        } catch (SQLTransientConnectionException e) {
            downUntil.set(System.nanoTime() + PROBE_INTERVAL_NANOS);
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The pool's own credentials are used");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
