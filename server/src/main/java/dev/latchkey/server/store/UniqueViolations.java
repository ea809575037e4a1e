package dev.latchkey.server.store;

import java.sql.SQLException;

/** Recognises a unique-constraint violation in H2 and PostgreSQL alike (SQLSTATE 23505). */
final class UniqueViolations {
    private UniqueViolations() {
    }

    static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
