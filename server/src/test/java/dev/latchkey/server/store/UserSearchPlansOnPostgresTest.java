package dev.latchkey.server.store;

import dev.latchkey.server.identity.UserQuery;
import dev.latchkey.server.identity.UserSort;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three searches the users-search figure is taken on (by email, by a metadata field, by a range)
 * are answered from V14's indexes on PostgreSQL, never by reading the whole table: checked with
 * EXPLAIN on the statement {@link JdbcUserStore} runs, over enough rows for the planner to care.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserSearchPlansOnPostgresTest {

    private static final int USERS = 20_000;
    private PostgresSchema schema;
    private Database database;
    private Jdbi jdbi;

    @BeforeAll
    void seed() {
        schema = PostgresSchema.create();
        database = Database.open(schema.url(), PostgresSchema.USER, null);
        jdbi = database.jdbi();
        jdbi.useHandle(h -> {
            h.execute("""
                    INSERT INTO connections (id, name, strategy, enabled_clients, options, created_at, updated_at)
                    VALUES ('con_plans', 'plans', 'auth0', '[]', '{}', 0, 0)""");
            h.execute("""
                    INSERT INTO users (user_id, connection, email, email_verified, name, user_metadata, app_metadata,
                        blocked, created_at, updated_at, logins_count)
                    SELECT 'auth0|' || i, 'plans', 'user' || i || '@example.com', false, 'User ' || i,
                        '{"customer":"c' || i || '","tier":' || (i % 3) || '}', '{"plan":"p' || (i % 100) || '"}',
                        false, 1600000000000 + i * 1000, 1600000000000 + i * 1000, i % 1000
                    FROM generate_series(1, ?) AS i""", USERS);
            h.execute("ANALYZE users");
        });
    }

    @AfterAll
    void drop() {
        database.close();
        schema.close();
    }

    @Test
    void byEmailUsesAnIndex() {
        String plan = plan(UserQuery.emailIs("user1234@example.com"));
        assertThat(plan).doesNotContain("Seq Scan").containsPattern("Index (Only )?Scan|Bitmap Index Scan");
    }

    @Test
    void byMetadataFieldUsesTheGinIndex() {
        String plan = plan(new UserQuery.Equals(new UserQuery.Metadata(false, List.of("customer")), "c1234"));
        assertThat(plan).doesNotContain("Seq Scan").contains("users_user_metadata");
    }

    /** V16: a GIN pending list is read whole by every search (14 ms an index scan by 1,000,000 users). */
    @Test
    void metadataIndexesKeepNoPendingList() {
        List<String> options = jdbi.withHandle(h -> h.createQuery("""
                SELECT array_to_string(reloptions, ',') FROM pg_class
                WHERE relname IN ('users_user_metadata', 'users_app_metadata')
                  AND relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())""")
                .mapTo(String.class).list());
        assertThat(options).containsExactly("fastupdate=off", "fastupdate=off");
    }

    @Test
    void byRangeUsesAnIndex() {
        String plan = plan(new UserQuery.Range(UserQuery.Column.LOGINS_COUNT, 100L, true, 102L, true));
        assertThat(plan).doesNotContain("Seq Scan").contains("users_logins_count");
    }

    @Test
    void byNamePrefixUsesTheLowercaseIndex() {
        String plan = plan(new UserQuery.Prefix(UserQuery.Column.NAME, "user 1234"));
        assertThat(plan).doesNotContain("Seq Scan").contains("users_name_lower");
    }

    /**
     * The plan of the sixth run of the statement in a transaction set up as the store sets it up: from the
     * fifth run on, the driver prepares it on the server, where a generic plan could take over.
     */
    private String plan(UserQuery query) {
        UserQuerySql where = UserQuerySql.of(query, true);
        JdbcUserStore store = new JdbcUserStore(jdbi);
        return jdbi.inTransaction(h -> {
            DatabaseKind.planWithValues(h, true);
            String plan = "";
            for (int run = 0; run < 6; run++) {
                var explain = h.createQuery("EXPLAIN " + JdbcUserStore.pageSql(where, UserSort.DEFAULT));
                where.parameters().forEach(explain::bind);
                plan = String.join("\n", explain.bind("limit", 50).bind("offset", 0).mapTo(String.class).list());
            }
            return plan;
        });
    }
}
