package dev.latchkey.server.store;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
}
