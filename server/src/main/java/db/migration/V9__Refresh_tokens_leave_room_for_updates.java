package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Statement;

/**
 * PostgreSQL: each refresh-token exchange updates its row without changing an indexed column, which
 * PostgreSQL can do in place (a heap-only tuple, no new index entries) when the row's page has room.
 * Pages filled to 70% leave that room. H2 has no such setting; the migration does nothing there.
 */
public class V9__Refresh_tokens_leave_room_for_updates extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (!context.getConnection().getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("ALTER TABLE refresh_tokens SET (fillfactor = 70)");
        }
    }
}
