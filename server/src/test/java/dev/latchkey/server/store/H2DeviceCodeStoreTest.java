package dev.latchkey.server.store;

/** The device code store's contract on H2, the embedded default. */
class H2DeviceCodeStoreTest extends DeviceCodeStoreContract {

    @Override
    protected Database open() {
        return h2();
    }
}
