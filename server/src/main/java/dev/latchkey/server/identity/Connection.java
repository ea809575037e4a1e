package dev.latchkey.server.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A connection users sign in through, in Auth0's terms: {@code strategy} {@code auth0} is a database
 * connection, {@code oidc} an upstream OpenID Provider, {@code oauth2} any OAuth 2.0 provider (Auth0's Custom Social
 * Connection) and the {@link SocialStrategy} names ({@code github}, {@code google-oauth2}...) the known social
 * ones. {@code clientSecret} is the upstream's client secret (null for a database connection): kept out of
 * {@code options}, sealed at rest and never shown. {@code realms} empty means the connection's name;
 * {@code metadata} holds up to ten strings.
 */
public record Connection(String id, String name, String strategy, String displayName, List<String> enabledClients,
                         Map<String, Object> options, String clientSecret, List<String> realms,
                         Map<String, String> metadata, boolean domainConnection, boolean showAsButton,
                         Instant createdAt, Instant updatedAt) {

    public static final String DATABASE_STRATEGY = "auth0";
    public static final String OIDC_STRATEGY = "oidc";
    public static final String OAUTH2_STRATEGY = "oauth2";

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

    /** This connection with other options (the same secret and everything else). */
    public Connection withOptions(Map<String, Object> newOptions) {
        return new Connection(id, name, strategy, displayName, enabledClients, newOptions, clientSecret, realms,
                metadata, domainConnection, showAsButton, createdAt, updatedAt);
    }

    /** The realms a client names (Auth0: the connection's name when none are set). */
    public List<String> effectiveRealms() {
        return realms.isEmpty() ? List.of(name) : realms;
    }

    /** The display name, else a social preset's own name ("GitHub"), else the connection's name. */
    public String label() {
        if (displayName != null && !displayName.isBlank()) {
            return displayName;
        }
        return SocialStrategy.of(strategy).map(SocialStrategy::label).orElse(name);
    }

    @Override
    public String toString() {
        return "Connection[" + name + ", " + strategy + "]";
    }
}
