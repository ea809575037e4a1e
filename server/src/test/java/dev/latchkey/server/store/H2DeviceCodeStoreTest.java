package dev.latchkey.server.store;

import java.util.UUID;

/** The device code store's contract on H2, the embedded default. */
class H2DeviceCodeStoreTest extends DeviceCodeStoreContract {

    @Override
    protected Database open() {
        return Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
    }
}
