package dev.latchkey.server.store;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh, uniquely named schema on the real PostgreSQL at 127.0.0.1:5432 (database {@code test},
 * user {@code postgres}, trust authentication), dropped on close, so test runs never see each
 * other's rows. When PostgreSQL cannot be reached the calling test class is skipped with a loud
 * message, or fails when {@code CI=true}: in CI a missing database is a broken build, not a skip.
 */
public final class PostgresSchema implements AutoCloseable {

    public static final String SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";

    private static volatile String unreachable;
    private static volatile boolean checked;
    private static volatile boolean warned;

    private final String name;

    private PostgresSchema(String name) {
        this.name = name;
    }

    /** Creates a new schema, or skips (fails under CI) when PostgreSQL is not there. */
    public static PostgresSchema create() {
        requireReachable();
        String name = "lk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE SCHEMA " + name);
        return new PostgresSchema(name);
    }

    public String name() {
        return name;
    }

    /** A JDBC URL whose connections work in this schema only. */
    public String url() {
        return SERVER_URL + "?currentSchema=" + name;
    }

    @Override
    public void close() {
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    /** Whether PostgreSQL answers (checked once per test run). */
    public static boolean reachable() {
        if (!checked) {
            synchronized (PostgresSchema.class) {
                if (!checked) {
                    try (Connection ignored = connect()) {
                        unreachable = null;
                    } catch (SQLException e) {
                        unreachable = e.getMessage();
                    }
                    checked = true;
                }
            }
        }
        return unreachable == null;
    }

    /**
     * Returns when PostgreSQL answers; otherwise fails the calling test under {@code CI=true} and
     * skips it (JUnit assumption) with a loud message on stderr elsewhere.
     */
    public static void requireReachable() {
        if (reachable()) {
            return;
        }
        String message = "PostgreSQL at " + SERVER_URL + " (user " + USER + ") is unreachable: " + unreachable
                + ". Start it (e.g. pg_ctlcluster 15 main start) to run the PostgreSQL tests.";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message + " CI=true, so this is a failure, not a skip.");
        }
        if (!warned) {
            warned = true;
            System.err.println();
            System.err.println("!!!!! SKIPPING POSTGRESQL TESTS !!!!! " + message
                    + " (CI is not 'true', so they are skipped.)");
            System.err.println();
        }
        Assumptions.abort(message);
    }

    private static void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL refused: " + sql + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("loginTimeout", "5");
        return DriverManager.getConnection(SERVER_URL, properties);
    }
}
