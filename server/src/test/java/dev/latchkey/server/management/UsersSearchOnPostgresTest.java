package dev.latchkey.server.management;

import dev.latchkey.server.config.Settings;
import dev.latchkey.server.store.PostgresSchema;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Users search v3 on PostgreSQL, where metadata fields are searched through jsonb. */
class UsersSearchOnPostgresTest extends UsersSearchContract {

    private final PostgresSchema schema = PostgresSchema.create();
    private final TestServer server = TestServer.start(s -> new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(),
            schema.url(), PostgresSchema.USER, null, s.masterKey(), s.bootstrapClientId(),
            s.bootstrapClientSecret(), s.tlsCertFile(), s.tlsKeyFile(), s.trustedProxies(), s.metricsToken()));

    @Override
    protected TestServer server() {
        return server;
    }

    @AfterAll
    void stop() {
        server.close();
        schema.close();
    }

    @Test
    void metadataFieldsMatchScalarsNestedObjectsAndArrays() {
        // Auth0: metadata holds booleans, numbers, text and objects (app_metadata.subscription.plan:"gold");
        // arrays are searched ignoring the array level (user_metadata.addresses.city:"Paris"); metadata
        // values are case sensitive.
        assertThat(search("app_metadata.plan:gold")).containsExactly(jane);
        assertThat(search("app_metadata.plan:\"Gold\"")).isEmpty();
        assertThat(search("app_metadata.seats:5")).containsExactly(jane);
        assertThat(search("user_metadata.prefs.size:13")).containsExactly(jane);
        assertThat(search("user_metadata.langs:en")).containsExactly(jane);
        assertThat(search("user_metadata.city:Paris OR user_metadata.city:Seattle")).containsExactly(jane, john);
        assertThat(search("NOT app_metadata.plan:gold")).containsExactly(john, usa);
    }

    @Test
    void metadataFieldsExistAndAppMetadataTakesRangesAndPrefixes() {
        // Auth0: _exists_ on metadata paths; ranges and wildcards are not available on user_metadata only.
        assertThat(search("_exists_:user_metadata.prefs.size")).containsExactly(jane);
        assertThat(search("_exists_:app_metadata.plan")).containsExactly(jane, john);
        assertThat(search("app_metadata.seats:[5 TO 50}")).containsExactly(jane);
        assertThat(search("app_metadata.seats:{5 TO *]")).containsExactly(john);
        assertThat(search("app_metadata.plan:[a TO h]")).containsExactly(jane);
        assertThat(search("app_metadata.plan:sil*")).containsExactly(john);
        refused("user_metadata.city:Par*");
    }

    @Test
    void metadataValuesAreBoundNotSpliced() {
        assertThat(search("app_metadata.plan:\"gold\\\"}'::jsonb OR 1=1 --\"")).isEmpty();
        assertThat(search("_exists_:app_metadata.plan AND app_metadata.plan:\"$.x ? (@ == 1)\"")).isEmpty();
    }
}
