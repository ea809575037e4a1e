package dev.latchkey.server.store;

import java.util.UUID;

/** Account linking's storage contract on H2, the embedded default. */
class H2AccountLinkStoreTest extends AccountLinkStoreContract {

    @Override
    protected Database open() {
        return Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
    }
}
