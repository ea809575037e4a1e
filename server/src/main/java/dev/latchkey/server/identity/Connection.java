package dev.latchkey.server.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A connection users sign in through; {@code strategy} {@code auth0} is a database connection. */
public record Connection(String id, String name, String strategy, String displayName, List<String> enabledClients,
                         Map<String, Object> options, Instant createdAt, Instant updatedAt) {

    public static final String DATABASE_STRATEGY = "auth0";

    public Connection {
        enabledClients = List.copyOf(enabledClients);
        options = Map.copyOf(options);
    }
}
