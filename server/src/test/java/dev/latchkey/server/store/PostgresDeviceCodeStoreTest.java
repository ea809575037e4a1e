package dev.latchkey.server.store;

/** The device code store's contract on the real PostgreSQL, in a schema of its own. */
class PostgresDeviceCodeStoreTest extends DeviceCodeStoreContract {

    @Override
    protected Database open() {
        return postgres();
    }
}
