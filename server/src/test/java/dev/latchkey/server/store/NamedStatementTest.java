package dev.latchkey.server.store;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamedStatementTest {

    @Test
    void namesBecomePositionalMarkersInOrderRepeatsIncluded() {
        NamedStatement statement = NamedStatement.of(
                "UPDATE t SET a = :now, b = :now WHERE h = :token_hash AND c = CAST(:idle AS BIGINT)");

        assertThat(statement.sql()).isEqualTo("UPDATE t SET a = ?, b = ? WHERE h = ? AND c = CAST(? AS BIGINT)");
        assertThat(statement.names()).isEqualTo(List.of("now", "now", "token_hash", "idle"));
    }

    @Test
    void postgresCastsAreNotParameters() {
        NamedStatement statement = NamedStatement.of("SELECT :v::bigint, x::text FROM t");

        assertThat(statement.sql()).isEqualTo("SELECT ?::bigint, x::text FROM t");
        assertThat(statement.names()).isEqualTo(List.of("v"));
    }

    @Test
    void aNameWithoutAValueOrAValueOfAnotherTypeIsRefusedBeforeAnythingIsSent() throws Exception {
        NamedStatement statement = NamedStatement.of("SELECT CAST(:a AS BIGINT), :b");
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:named")) {
            assertThatThrownBy(() -> statement.prepare(connection, Map.of("a", 1L)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("No value for :b");
            assertThatThrownBy(() -> statement.prepare(connection, Map.of("a", 1L, "b", 2.5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Double");
        }
    }
}
