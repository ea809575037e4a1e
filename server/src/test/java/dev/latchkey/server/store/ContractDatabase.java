package dev.latchkey.server.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.UUID;

/**
 * The database a storage contract runs on, opened once per class and closed after it: H2 in memory ({@link #h2()})
 * or a schema of its own in the local PostgreSQL ({@link #postgres()}). Each contract is run on both by two small
 * subclasses that only say which.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContractDatabase {

    protected Database database;
    private PostgresSchema schema;
    private boolean onPostgres;

    /** The database under test, migrated: {@link #h2()} or {@link #postgres()}. Null when it is not there. */
    protected abstract Database open();

    /** Builds the stores under test once the database is open. */
    protected abstract void opened(Database database);

    protected static Database h2() {
        return Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
    }

    /** Null when PostgreSQL cannot be reached: each test then skips loudly, or fails under {@code CI=true}. */
    protected final Database postgres() {
        onPostgres = true;
        if (!PostgresSchema.reachable()) {
            return null;
        }
        schema = PostgresSchema.create();
        return Database.open(schema.url(), PostgresSchema.USER, null);
    }

    /** Skips or fails the test when the database is not there ({@link #open()} returned null). */
    protected final void requireAvailable() {
        if (onPostgres) {
            PostgresSchema.requireReachable();
        }
    }

    @BeforeAll
    final void openDatabase() {
        database = open();
        if (database != null) {
            opened(database);
        }
    }

    @AfterAll
    final void closeDatabase() {
        try {
            if (database != null) {
                database.close();
            }
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }
}
