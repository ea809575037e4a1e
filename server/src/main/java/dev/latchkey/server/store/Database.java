package dev.latchkey.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.server.keys.MasterKey;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * The connection pool, the schema migrations and the JDBI handle over them. H2 (the embedded
 * default) and PostgreSQL share one set of migrations written in their common SQL.
 */
public final class Database implements AutoCloseable {

    /** The version of the newest migration in {@code db/migration} (a test keeps the two in step). */
    static final int SCHEMA_VERSION = 21;
    /** The purpose the embedded database's file key is derived for. */
    private static final String H2_FILE_KEY = "latchkey h2 file encryption";
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final DataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource pool) {
        this.pool = pool;
        this.dataSource = new FailFastDataSource(pool);
        this.jdbi = Jdbi.create(dataSource);
        // One binder per record serves INSERT and UPDATE; UPDATE leaves created_at alone.
        this.jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        // Statement errors must not carry bound values (hashes, sealed secrets) into the logs.
        this.jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
    }

    public static Database open(String url, String user, String password) {
        return open(url, user, password, null, false);
    }

    /**
     * Opens the database; an H2 file database is encrypted with a key derived from {@code masterKey} when
     * that key is kept apart from the data ({@code keyKeptApart}: a copy of the data directory then holds
     * nothing readable), or when the file is encrypted already. A plain file is encrypted in place once.
     */
    public static Database open(String url, String user, String password, MasterKey masterKey, boolean keyKeptApart) {
        H2Files h2Files = H2Files.of(url);
        h2Files.prepareDirectory();
        String jdbcUrl = h2Defaults(url);
        String jdbcPassword = password;
        if (masterKey != null && h2Files.isFileDatabase() && !url.toUpperCase(Locale.ROOT).contains("CIPHER=")
                && (keyKeptApart || h2Files.encrypted())) {
            char[] fileKey = HexFormat.of().formatHex(masterKey.derive(H2_FILE_KEY)).toCharArray();
            if (h2Files.plain()) {
                LOG.info("Encrypting the embedded database with a key derived from LATCHKEY_MASTER_KEY");
                h2Files.encrypt(fileKey);
            }
            jdbcUrl += ";CIPHER=" + H2Files.CIPHER;
            // H2 takes the file password first, then a space and the user's password.
            jdbcPassword = new String(fileKey) + " " + (password == null ? "" : password);
        }
        boolean encrypted = jdbcUrl.endsWith(";CIPHER=" + H2Files.CIPHER);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (jdbcPassword != null) {
            config.setPassword(jdbcPassword);
        }
        config.setPoolName("latchkey");
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            // How other nodes tell this release's connections from an earlier one's (ReleaseGate).
            config.addDataSourceProperty("ApplicationName", ReleaseGate.APPLICATION_NAME);
        }
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(1);
        // An unreachable database must answer a request within a second (a 503, see HttpServer), not hold
        // a worker thread for Hikari's 30 s default; FailFastDataSource keeps the other requests from
        // waiting at all. Hikari's floor for both is 250 ms, and a validation must fit inside the wait.
        config.setConnectionTimeout(750);
        config.setValidationTimeout(500);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("Cannot connect to the database at " + redact(url)
                    + ": " + rootMessage(e) + (encrypted
                    ? ". The embedded database is encrypted with a key derived from the master key: is"
                            + " LATCHKEY_MASTER_KEY the key it was encrypted with?"
                    : ". Check LATCHKEY_DATABASE_URL, _USER and _PASSWORD."), e);
        }
        migrate(dataSource);
        h2Files.restrict();
        return new Database(dataSource);
    }

    /**
     * Runs the migrations unless the schema is already at {@link #SCHEMA_VERSION}: Flyway's scan of
     * the classpath and its validation cost a second or more of a cold start, for nothing to do.
     */
    private static void migrate(DataSource dataSource) {
        if (installedVersion(dataSource) == SCHEMA_VERSION) {
            return;
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** The highest migration applied successfully, or -1 when there is no history yet. */
    static int installedVersion(DataSource dataSource) {
        // Flyway creates its table and columns with quoted lower-case names on H2 and PostgreSQL alike.
        String sql = "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" = TRUE";
        int highest = -1;
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                String version = rows.getString(1);
                if (version != null && version.matches("\\d+")) {
                    highest = Math.max(highest, Integer.parseInt(version));
                }
            }
        } catch (SQLException e) {
            return -1;
        }
        return highest;
    }

    DataSource dataSource() {
        return dataSource;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** True when a trivial query answers: the readiness probe. */
    public boolean ping() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * H2 file databases: allow a second process (the CLI, a second node), keep data on crash, keep more
     * parsed statements per connection than H2's 8, since a login alone runs more distinct ones, and do not
     * look for the previous result of a query to hand out again: every statement here reads rows by a new
     * key, or a table written since, so that check (a walk over the query's expressions) never paid. No trace
     * file: H2 would write failed statements, with their values, into a {@code .trace.db} beside the database
     * (OWASP ASVS 7.1.1); errors reach the server's own log instead.
     */
    static String h2Defaults(String url) {
        if (url.startsWith("jdbc:h2:file:") && !url.contains(";")) {
            return url + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;OPTIMIZE_REUSE_RESULTS=FALSE"
                    + ";TRACE_LEVEL_FILE=0";
        }
        return url;
    }

    /** A JDBC URL with any {@code password=} value masked, for messages and logs. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
