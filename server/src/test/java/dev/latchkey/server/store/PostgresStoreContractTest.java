package dev.latchkey.server.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage contract on the real PostgreSQL, in a schema of its own; skipped with a loud message
 * when PostgreSQL is unreachable, failed when {@code CI=true}.
 */
class PostgresStoreContractTest extends StoreContract {

    @Override
    protected Database open() {
        return postgres();
    }

    @Test
    void refreshTokenPagesKeepRoomForInPlaceUpdates() {
        requireAvailable();
        // V9: an exchange changes no indexed column; with room in its page PostgreSQL updates the row in place.
        String options = database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT array_to_string(reloptions, ',') FROM pg_class
                        WHERE relname = 'refresh_tokens' AND relnamespace = current_schema()::regnamespace""")
                .mapTo(String.class).one());
        assertThat(options).isEqualTo("fillfactor=70");
    }
}
