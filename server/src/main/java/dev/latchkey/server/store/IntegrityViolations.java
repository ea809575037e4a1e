package dev.latchkey.server.store;

import java.sql.SQLException;

/**
 * Recognises a broken integrity constraint (SQLSTATE class 23: unique key, foreign key) in H2 and
 * PostgreSQL alike.
 */
final class IntegrityViolations {
    private IntegrityViolations() {
    }

    static boolean is(Throwable e) {
        return hasState(e, "23");
    }

    /** True when {@code e} or one of its causes is an SQLException whose SQLSTATE starts with {@code prefix}. */
    static boolean hasState(Throwable e, String prefix) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
