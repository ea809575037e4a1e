package dev.latchkey.server.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A connection users sign in through, in Auth0's terms: {@code strategy} {@code auth0} is a database
 * connection, {@code oidc} an upstream OpenID Provider. {@code clientSecret} is the upstream's client secret
 * (null for a database connection): kept out of {@code options}, sealed at rest and never shown.
 * {@code realms} empty means the connection's name; {@code metadata} holds up to ten strings.
 */
public record Connection(String id, String name, String strategy, String displayName, List<String> enabledClients,
                         Map<String, Object> options, String clientSecret, List<String> realms,
                         Map<String, String> metadata, boolean domainConnection, boolean showAsButton,
                         Instant createdAt, Instant updatedAt) {

    public static final String DATABASE_STRATEGY = "auth0";
    public static final String OIDC_STRATEGY = "oidc";

    public Connection {
        enabledClients = List.copyOf(enabledClients);
        options = Map.copyOf(options);
        realms = realms == null ? List.of() : List.copyOf(realms);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A connection with only what the first releases kept. */
    public static Connection of(String id, String name, String strategy, String displayName,
                                List<String> enabledClients, Map<String, Object> options, Instant createdAt,
                                Instant updatedAt) {
        return new Connection(id, name, strategy, displayName, enabledClients, options, null, List.of(), Map.of(),
                false, true, createdAt, updatedAt);
    }

    /**
     * Whether {@code clientId} may log in through this connection. The tenant's default database connection
     * ({@value UserDirectory#DEFAULT_CONNECTION}) serves every client, as it always has here; every other
     * connection only the clients in {@code enabled_clients} (Auth0).
     */
    public boolean enabledFor(String clientId) {
        return UserDirectory.DEFAULT_CONNECTION.equals(name) || enabledClients.contains(clientId);
    }

    public boolean upstream() {
        return !DATABASE_STRATEGY.equals(strategy);
    }

    /** The realms a client names (Auth0: the connection's name when none are set). */
    public List<String> effectiveRealms() {
        return realms.isEmpty() ? List.of(name) : realms;
    }

    public String label() {
        return displayName == null || displayName.isBlank() ? name : displayName;
    }

    @Override
    public String toString() {
        return "Connection[" + name + ", " + strategy + "]";
    }
}
