package dev.latchkey.server.store;

import java.sql.SQLException;

/**
 * A statement sent through plain JDBC failed. The driver's exception stays the cause, so that an unreachable
 * database is still recognised as one (a 503, not a 500).
 */
public class StatementFailedException extends RuntimeException {
    public StatementFailedException(String message, SQLException cause) {
        super(message, cause);
    }
}
