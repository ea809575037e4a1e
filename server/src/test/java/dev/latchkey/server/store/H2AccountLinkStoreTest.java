package dev.latchkey.server.store;

/** The account link store's contract on H2, the embedded default. */
class H2AccountLinkStoreTest extends AccountLinkStoreContract {

    @Override
    protected Database open() {
        return h2();
    }
}
