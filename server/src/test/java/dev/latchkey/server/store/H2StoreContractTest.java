package dev.latchkey.server.store;

/** The storage contract on H2, the embedded default. */
class H2StoreContractTest extends StoreContract {

    @Override
    protected Database open() {
        return h2();
    }
}
