package dev.latchkey.server.store;

/** Account linking's storage contract on the real PostgreSQL, in a schema of its own. */
class PostgresAccountLinkStoreTest extends AccountLinkStoreContract {

    private PostgresSchema schema;

    @Override
    protected Database open() {
        if (!PostgresSchema.reachable()) {
            return null;
        }
        schema = PostgresSchema.create();
        return Database.open(schema.url(), PostgresSchema.USER, null);
    }

    @Override
    protected void requireAvailable() {
        PostgresSchema.requireReachable();
    }

    @Override
    protected void cleanUp() {
        if (schema != null) {
            schema.close();
        }
    }
}
