package dev.latchkey.server.identity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections read by name are kept {@link CachedConnectionStore#TTL}, as clients are: a change made through
 * another node shows within that time, one made through this node at once.
 */
class CachedConnectionStoreTest {

    private final MemoryStore store = new MemoryStore();
    private long nanos;
    private final CachedConnectionStore cached = new CachedConnectionStore(store, () -> nanos);

    @Test
    void aConnectionIsReadFromTheStoreOnceWithinTheTtl() {
        store.create(connection("upstream", List.of("app")));
        store.reads.clear();
        assertThat(cached.findByName("upstream")).isPresent();
        nanos += CachedConnectionStore.TTL.minusMillis(1).toNanos();
        assertThat(cached.findByName("upstream")).isPresent();
        assertThat(store.reads).containsExactly("upstream");
    }

    @Test
    void aChangeMadeThroughAnotherNodeShowsAfterTheTtl() {
        store.create(connection("upstream", List.of("app")));
        assertThat(cached.findByName("upstream").orElseThrow().enabledFor("app")).isTrue();
        store.update(connection("upstream", List.of()));
        assertThat(cached.findByName("upstream").orElseThrow().enabledFor("app")).isTrue();
        nanos += CachedConnectionStore.TTL.plus(Duration.ofMillis(1)).toNanos();
        assertThat(cached.findByName("upstream").orElseThrow().enabledFor("app")).isFalse();
    }

    @Test
    void everyWriteThroughThisNodeShowsAtOnce() {
        cached.create(connection("upstream", List.of("app")));
        assertThat(cached.findByName("upstream").orElseThrow().enabledFor("app")).isTrue();
        cached.update(connection("upstream", List.of()));
        assertThat(cached.findByName("upstream").orElseThrow().enabledFor("app")).isFalse();
        cached.delete("id-upstream");
        assertThat(cached.findByName("upstream")).isEmpty();
        cached.create(connection("upstream", List.of("app")));
        assertThat(cached.findByName("upstream")).isPresent();
    }

    @Test
    void anUnknownNameIsAnsweredFromTheCacheToo() {
        assertThat(cached.findByName("nope")).isEmpty();
        assertThat(cached.findByName("nope")).isEmpty();
        assertThat(store.reads).containsExactly("nope");
    }

    private static Connection connection(String name, List<String> clients) {
        Instant now = Instant.EPOCH;
        return Connection.of("id-" + name, name, Connection.OIDC_STRATEGY, null, clients,
                Map.of("issuer", "https://idp.example.com"), now, now);
    }

    /** Connections in a map, with every look-up by name recorded. */
    private static final class MemoryStore implements ConnectionStore {

        final Map<String, Connection> byId = new LinkedHashMap<>();
        final List<String> reads = new ArrayList<>();

        @Override
        public void create(Connection connection) {
            byId.put(connection.id(), connection);
        }

        @Override
        public Optional<Connection> findByName(String name) {
            reads.add(name);
            return byId.values().stream().filter(c -> c.name().equals(name)).findFirst();
        }

        @Override
        public Optional<Connection> findById(String id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public List<Connection> list() {
            return List.copyOf(byId.values());
        }

        @Override
        public boolean update(Connection connection) {
            return byId.replace(connection.id(), connection) != null;
        }

        @Override
        public boolean delete(String id) {
            return byId.remove(id) != null;
        }

        @Override
        public List<String> userIds(String name, int limit) {
            return List.of();
        }
    }
}
