package dev.latchkey.server.identity;

/**
 * What a database connection's options decide at login, read through the connections' short cache (every node
 * sees a change within {@link CachedConnectionStore#TTL}, this one at once): {@code brute_force_protection}
 * (Auth0: on unless set to false).
 */
public final class ConnectionSettings {

    private final CachedConnectionStore connections;

    public ConnectionSettings(CachedConnectionStore connections) {
        this.connections = connections;
    }

    public boolean bruteForceProtection(String connection) {
        return connections.findByName(connection)
                .map(c -> !Boolean.FALSE.equals(c.options().get("brute_force_protection"))).orElse(true);
    }
}
