package dev.latchkey.server.identity;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.time.Duration;
import java.util.Optional;

/**
 * What a database connection's options decide at login, read through a short cache (every node sees a change
 * within {@link #TTL}): {@code brute_force_protection} (Auth0: on unless set to false).
 */
public final class ConnectionSettings {

    static final Duration TTL = Duration.ofSeconds(5);

    private final LoadingCache<String, Optional<Connection>> connections;

    public ConnectionSettings(ConnectionStore store) {
        this.connections = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(1_000).build(store::findByName);
    }

    public boolean bruteForceProtection(String connection) {
        return connections.get(connection).map(c -> !Boolean.FALSE.equals(c.options().get("brute_force_protection")))
                .orElse(true);
    }
}
