package dev.latchkey.server.store;

import java.util.UUID;

/** The storage contract on H2, the embedded default. */
class H2StoreContractTest extends StoreContract {

    @Override
    protected Database open() {
        return Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
    }
}
