package dev.latchkey.server.store;

/** The account link store's contract on the real PostgreSQL, in a schema of its own. */
class PostgresAccountLinkStoreTest extends AccountLinkStoreContract {

    @Override
    protected Database open() {
        return postgres();
    }
}
