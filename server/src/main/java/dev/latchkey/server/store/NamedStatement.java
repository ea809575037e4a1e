package dev.latchkey.server.store;

import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.ParsedSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * A statement written with {@code :name} parameters, as the JDBI statements are, and sent through plain JDBC
 * with positional markers: for a statement on a hot path, where JDBI's per-call work (a handle, an argument
 * factory looked up for every value, cleanables) costs more than the database round trip's own Java side.
 * The names are read once, by JDBI's parser, when the statement is made; a name may appear several times. The
 * values are strings, longs, booleans, null for a {@code BIGINT}, or {@link #NULL_TEXT} for a text null.
 */
record NamedStatement(String sql, List<String> names, List<String> distinct, int[] slots) {

    /** A null sent as text, so that the statement's parameter types stay the same whether the value is there. */
    static final Object NULL_TEXT = new Object();

    /** JDBI's own parser: the names are read exactly as in every other statement of the stores. */
    static NamedStatement of(String named) {
        ParsedSql parsed = new ColonPrefixSqlParser().parse(named, null);
        List<String> names = List.copyOf(parsed.getParameters().getParameterNames());
        List<String> distinct = names.stream().distinct().toList();
        int[] slots = names.stream().mapToInt(distinct::indexOf).toArray();
        return new NamedStatement(parsed.getSql(), names, distinct, slots);
    }

    /**
     * Prepares the statement on {@code connection} with every name bound; a name without a value is refused.
     * Each name is looked up once, however often it appears.
     */
    PreparedStatement prepare(Connection connection, Map<String, Object> values) throws SQLException {
        Object[] resolved = new Object[distinct.size()];
        for (int i = 0; i < resolved.length; i++) {
            String name = distinct.get(i);
            Object value = values.get(name);
            if (value == null && !values.containsKey(name)) {
                throw new IllegalArgumentException("No value for :" + name);
            }
            resolved[i] = value;
        }
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < slots.length; i++) {
                bind(statement, i + 1, resolved[slots[i]]);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else if (value == NULL_TEXT) {
            statement.setNull(index, Types.VARCHAR);
        } else if (value instanceof String string) {
            statement.setString(index, string);
        } else if (value instanceof Long number) {
            statement.setLong(index, number);
        } else if (value instanceof Boolean flag) {
            statement.setBoolean(index, flag);
        } else {
            throw new IllegalArgumentException("Unsupported value type " + value.getClass().getSimpleName());
        }
    }
}
