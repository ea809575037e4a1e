package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.token.AuthorizationStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more: a revocation of many authorizations (a user
 * with hundreds of them) is sent in parts, each below the limit, that together name every key once.
 */
class PostgresRevocationBusTest {

    private static final TypeReference<Map<String, List<String>>> PAYLOAD = new TypeReference<>() {
    };

    @Test
    void aLargeRevocationIsSplitBelowPostgresqlsLimitAndLosesNothing() {
        List<String> ids = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add("az_%024d".formatted(i));
            hashes.add("%064x".formatted(i));
        }
        List<String> payloads = PostgresRevocationBus.payloads(new AuthorizationStore.Revoked(ids, hashes));

        assertThat(payloads).hasSizeGreaterThan(1);
        List<String> sentIds = new ArrayList<>();
        List<String> sentHashes = new ArrayList<>();
        for (String payload : payloads) {
            assertThat(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(8000);
            Map<String, List<String>> parsed = JsonColumns.read(payload, PAYLOAD);
            sentIds.addAll(parsed.get("a"));
            sentHashes.addAll(parsed.get("o"));
        }
        assertThat(sentIds).isEqualTo(ids);
        assertThat(sentHashes).isEqualTo(hashes);
    }

    @Test
    void nothingRevokedSendsNothing() {
        assertThat(PostgresRevocationBus.payloads(new AuthorizationStore.Revoked(List.of(), List.of()))).isEmpty();
    }
}
