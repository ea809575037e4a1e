package dev.latchkey.server.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.SQLException;

/** Which database a store talks to, for the few statements PostgreSQL and H2 write differently. */
final class DatabaseKind {

    private DatabaseKind() {
    }

    static boolean postgres(Jdbi jdbi) {
        try {
            return jdbi.withHandle(h -> h.getConnection().getMetaData().getDatabaseProductName())
                    .equals("PostgreSQL");
        } catch (SQLException e) {
            throw new StoreUnavailableException("Cannot read which database this is: " + e.getMessage(), e);
        }
    }

    /**
     * PostgreSQL: plan the statements of {@code h}'s transaction with their values. After five runs the driver
     * prepares a statement on the server, and PostgreSQL may then keep a generic plan that ignores what the
     * values select (a search's GIN index; an import batch's look-ups, planned while the table was empty).
     */
    static Handle planWithValues(Handle h, boolean postgres) {
        if (postgres) {
            h.execute("SET LOCAL plan_cache_mode = force_custom_plan");
        }
        return h;
    }
}
