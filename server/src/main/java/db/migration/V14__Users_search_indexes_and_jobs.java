package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Statement;
import java.util.List;

/**
 * Users search (Auth0 search engine v3) and bulk user jobs. Adds tables and indexes only, so a server
 * of the previous release keeps running on this schema.
 *
 * <p>Indexes serve the searches {@code UserQuerySql} writes: on PostgreSQL {@code email} and the
 * lowercased names with {@code text_pattern_ops} (equality and prefixes whatever the collation), and a
 * GIN index with {@code jsonb_path_ops} on each metadata column cast to jsonb (containment {@code @>});
 * on H2, which has neither expression nor GIN indexes, plain ones. Ranges
 * on logins and times use plain indexes on both.
 */
public class V14__Users_search_indexes_and_jobs extends BaseJavaMigration {

    private static final List<String> COMMON = List.of(
            "CREATE INDEX users_logins_count ON users (logins_count)",
            "CREATE INDEX users_last_login ON users (last_login)",
            "CREATE INDEX users_updated_at ON users (updated_at)",
            // A bulk import or export: Auth0's job object. summary and options are JSON objects.
            """
            CREATE TABLE user_jobs (
                id            VARCHAR(64)  PRIMARY KEY,
                type          VARCHAR(32)  NOT NULL,
                status        VARCHAR(16)  NOT NULL,
                connection_id VARCHAR(64),
                connection    VARCHAR(128),
                external_id   VARCHAR(128),
                options       VARCHAR      NOT NULL,
                summary       VARCHAR,
                file_name     VARCHAR(200),
                created_at    BIGINT       NOT NULL,
                updated_at    BIGINT       NOT NULL,
                expires_at    BIGINT       NOT NULL
            )""",
            "CREATE INDEX user_jobs_expires_at ON user_jobs (expires_at)",
            // One row per user an import refused: the user as given (without its password hash) and the errors.
            """
            CREATE TABLE user_job_errors (
                job_id  VARCHAR(64) NOT NULL,
                seq     INTEGER     NOT NULL,
                entry   VARCHAR     NOT NULL,
                PRIMARY KEY (job_id, seq)
            )""",
            // An export's gzip file in chunks of up to 1 MiB: any node can serve the download.
            """
            CREATE TABLE user_job_files (
                job_id  VARCHAR(64) NOT NULL,
                seq     INTEGER     NOT NULL,
                bytes   BYTEA       NOT NULL,
                PRIMARY KEY (job_id, seq)
            )""");

    private static final List<String> POSTGRES = List.of(
            "CREATE INDEX users_email_pattern ON users (email text_pattern_ops)",
            "CREATE INDEX users_name_lower ON users (LOWER(name) text_pattern_ops)",
            "CREATE INDEX users_given_name_lower ON users (LOWER(given_name) text_pattern_ops)",
            "CREATE INDEX users_family_name_lower ON users (LOWER(family_name) text_pattern_ops)",
            "CREATE INDEX users_nickname_lower ON users (LOWER(nickname) text_pattern_ops)",
            "CREATE INDEX users_app_metadata ON users USING gin (CAST(app_metadata AS jsonb) jsonb_path_ops)",
            "CREATE INDEX users_user_metadata ON users USING gin (CAST(user_metadata AS jsonb) jsonb_path_ops)");

    private static final List<String> H2 = List.of(
            "CREATE INDEX users_email ON users (email)",
            "CREATE INDEX users_name ON users (name)");

    @Override
    public void migrate(Context context) throws Exception {
        boolean postgres = context.getConnection().getMetaData().getDatabaseProductName().equals("PostgreSQL");
        try (Statement statement = context.getConnection().createStatement()) {
            for (String sql : COMMON) {
                statement.execute(sql);
            }
            for (String sql : postgres ? POSTGRES : H2) {
                statement.execute(sql);
            }
        }
    }
}
