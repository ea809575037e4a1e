package dev.latchkey.server.store;

/** The device code store's contract on the real PostgreSQL, in a schema of its own. */
class PostgresDeviceCodeStoreTest extends DeviceCodeStoreContract {

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
