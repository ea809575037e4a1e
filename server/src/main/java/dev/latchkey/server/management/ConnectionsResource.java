package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.AppleSigningKey;
import dev.latchkey.server.identity.ConnectionOptions;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.identity.SocialStrategy;
import dev.latchkey.server.identity.UserAccounts;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientStore;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.store.DuplicateKeyException;
import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code /api/v2/connections}: the connections users sign in through, in Auth0's JSON. Strategies {@code auth0}
 * (database), {@code oidc} (an upstream OpenID Provider), {@code oauth2} (any OAuth 2.0 provider) and the social
 * presets ({@link SocialStrategy}: {@code github}, {@code google-oauth2}...) can be created, changed and deleted.
 * <p>Rules:
 * <ul>
 *   <li>Auth0: {@code name} starts and ends with a letter or digit, holds only those and single {@code -},
 *       at most 128 characters; it and {@code strategy} cannot change.</li>
 *   <li>Auth0: {@code PATCH} replaces {@code options} as a whole. Here an upstream's {@code client_secret} is
 *       kept when the new options leave it out: reads never show it, so a read-modify-write must not lose it.</li>
 *   <li>{@code options.client_secret} is sealed under the master key and never returned (Auth0 shows it; a
 *       leaked Management token should not leak the upstream's secret too).</li>
 *   <li>Auth0: {@code metadata} holds at most 10 string properties of at most 255 characters.</li>
 *   <li>The default database connection ({@value UserDirectory#DEFAULT_CONNECTION}) and the tenant's
 *       {@code default_directory} cannot be deleted: the login page and the password grant log in through
 *       them. Deleting any other connection deletes its users, as Auth0 does.</li>
 *   <li>The default database connection serves every client; every other connection only those in
 *       {@code enabled_clients} ({@code GET|PATCH /connections/{id}/clients} read and change that list).</li>
 * </ul>
 */
final class ConnectionsResource {

    /** Auth0: at most 50 changes per {@code PATCH /connections/{id}/clients}. */
    private static final int MAX_CHANGES = 50;
    private static final int MAX_NAME = 128;
    private static final int MAX_METADATA = 10;
    private static final int MAX_METADATA_VALUE = 255;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*");
    private static final List<String> STRATEGIES = Stream.concat(Stream.of(Connection.DATABASE_STRATEGY,
            Connection.OIDC_STRATEGY, Connection.OAUTH2_STRATEGY), Arrays.stream(SocialStrategy.values())
            .map(SocialStrategy::strategy)).toList();
    private static final Set<String> UPDATE_FIELDS = Set.of("display_name", "options", "enabled_clients", "realms",
            "metadata", "is_domain_connection", "show_as_button");
    private static final Set<String> CREATE_FIELDS;

    static {
        Set<String> fields = new LinkedHashSet<>(UPDATE_FIELDS);
        fields.addAll(Set.of("name", "strategy"));
        CREATE_FIELDS = Set.copyOf(fields);
    }

    private final ConnectionStore store;
    private final ClientStore clients;
    private final UserAccounts accounts;
    private final RegistryLookups lookups;
    private final Clock clock;

    ConnectionsResource(ConnectionStore store, ClientStore clients, UserAccounts accounts, RegistryLookups lookups,
                        Clock clock) {
        this.store = store;
        this.clients = clients;
        this.accounts = accounts;
        this.lookups = lookups;
        this.clock = clock;
    }

    /** Offset paging, or Auth0's checkpoint paging ({@code from}, {@code take}) answering {@code next}. */
    void list(Context ctx, ManagementCaller caller) {
        String strategy = ctx.queryParam("strategy");
        String name = ctx.queryParam("name");
        List<Connection> all = store.list().stream()
                .filter(c -> strategy == null || strategy.isEmpty() || c.strategy().equals(strategy))
                .filter(c -> name == null || name.isEmpty() || c.name().equals(name))
                .toList();
        if (Checkpoint.asked(ctx)) {
            Checkpoint checkpoint = Checkpoint.of(ctx);
            checkpoint.write(ctx, "connections", all.stream()
                            .sorted(Comparator.comparing(Connection::id))
                            .filter(c -> checkpoint.from() == null || c.id().compareTo(checkpoint.from()) > 0)
                            .limit(checkpoint.take()).toList(),
                    Connection::id, ConnectionsResource::view);
            return;
        }
        PageRequest page = Paging.request(ctx);
        int from = (int) Math.min(page.offset(), all.size());
        int to = Math.min(from + page.perPage(), all.size());
        Paging.write(ctx, "connections", page, new Page<>(all.subList(from, to), all.size()),
                ConnectionsResource::view);
    }

    void get(Context ctx, ManagementCaller caller) {
        Json.write(ctx, 200, view(find(ctx)));
    }

    void create(Context ctx, ManagementCaller caller) {
        JsonBody body = JsonBody.read(ctx);
        body.allowOnly(CREATE_FIELDS);
        String name = body.requiredString("name", MAX_NAME);
        if (!NAME.matcher(name).matches()) {
            throw JsonBody.invalid("String does not match pattern ^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$", "name");
        }
        String strategy = body.requiredString("strategy", 64);
        if (!STRATEGIES.contains(strategy)) {
            throw JsonBody.invalid("Strategy " + strategy + " is not supported here; supported: "
                    + String.join(", ", STRATEGIES), "strategy");
        }
        Instant now = clock.instant();
        Connection defaults = new Connection("con_" + RandomStrings.alphanumeric(16), name, strategy, null,
                List.of(), Map.of(), null, List.of(), Map.of(), false, true, now, now);
        Connection connection = apply(body, defaults, now, true);
        // Auth0: a social connection's users are <strategy>|<provider's id>, without the connection's name, so a
        // second connection of the same preset (another GitHub Enterprise host, say) would log its users into the
        // first one's accounts whose ids happen to match. One per preset; any other provider is an oauth2 one.
        if (SocialStrategy.of(strategy).isPresent()
                && store.list().stream().anyMatch(other -> other.strategy().equals(strategy))) {
            throw ManagementException.conflict("A connection of strategy " + strategy + " already exists: its users' "
                    + "ids do not name the connection, so there can be one; use strategy oauth2 for another "
                    + "provider", "connection_conflict");
        }
        try {
            store.create(connection);
        } catch (DuplicateKeyException e) {
            throw ManagementException.conflict("A connection with the same name already exists",
                    "connection_conflict");
        }
        Json.write(ctx, 201, view(connection));
    }

    void update(Context ctx, ManagementCaller caller) {
        Connection existing = find(ctx);
        JsonBody body = JsonBody.read(ctx);
        body.allowOnly(UPDATE_FIELDS);
        Connection updated = apply(body, existing, clock.instant(), false);
        if (!store.update(updated)) {
            throw notFound();
        }
        Json.write(ctx, 200, view(updated));
    }

    void delete(Context ctx, ManagementCaller caller) {
        Connection existing = find(ctx);
        Optional<String> directory = lookups.tenant().defaultDirectory();
        if (existing.name().equals(UserDirectory.DEFAULT_CONNECTION) || directory.equals(Optional.of(existing.name()))) {
            throw ManagementException.forbidden("The connection " + existing.name() + " is the default directory "
                    + "the login page and the password grant use; it cannot be deleted");
        }
        // Auth0: deleting a connection deletes its users, with everything issued to them.
        for (List<String> batch = store.userIds(existing.name(), 100); !batch.isEmpty();
             batch = store.userIds(existing.name(), 100)) {
            batch.forEach(accounts::delete);
        }
        store.delete(existing.id());
        ctx.status(204);
    }

    /** {@code GET /connections/{id}/clients}: the clients that may use the connection, checkpoint paged. */
    void enabledClients(Context ctx, ManagementCaller caller) {
        Connection connection = find(ctx);
        Checkpoint checkpoint = Checkpoint.of(ctx);
        if (connection.name().equals(UserDirectory.DEFAULT_CONNECTION)) {
            checkpoint.write(ctx, "clients", clients.after(checkpoint.from(), checkpoint.take()), Client::clientId,
                    client -> Json.object().put("client_id", client.clientId()));
            return;
        }
        checkpoint.write(ctx, "clients", connection.enabledClients().stream().sorted()
                        .filter(id -> checkpoint.from() == null || id.compareTo(checkpoint.from()) > 0)
                        .limit(checkpoint.take()).toList(), id -> id,
                id -> Json.object().put("client_id", id));
    }

    /**
     * {@code PATCH /connections/{id}/clients}: a list of {@code {client_id, status}}. The default database
     * connection serves every client: enabling one there is accepted as it stands, disabling one is not.
     */
    void updateEnabledClients(Context ctx, ManagementCaller caller) {
        Connection connection = find(ctx);
        List<JsonBody> changes = JsonBody.readObjects(ctx);
        if (changes.size() > MAX_CHANGES) {
            throw JsonBody.invalid("Array is too long (" + changes.size() + "), maximum " + MAX_CHANGES, null);
        }
        boolean everyClient = connection.name().equals(UserDirectory.DEFAULT_CONNECTION);
        Set<String> enabled = new LinkedHashSet<>(connection.enabledClients());
        for (JsonBody change : changes) {
            change.allowOnly(Set.of("client_id", "status"));
            String clientId = change.requiredString("client_id", IdList.MAX_ID_LENGTH);
            boolean enable = change.bool("status").orElseThrow(() ->
                    JsonBody.invalid("Missing required property: status", null));
            if (clients.findById(clientId).isEmpty()) {
                throw ManagementException.notFound("No client with id " + clientId + " exists", "inexistent_client");
            }
            if (everyClient && !enable) {
                throw ManagementException.forbidden("The default database connection serves every client; "
                        + "disabling a client on it is not supported");
            }
            if (enable) {
                enabled.add(clientId);
            } else {
                enabled.remove(clientId);
            }
        }
        if (!everyClient) {
            store.update(new Connection(connection.id(), connection.name(), connection.strategy(),
                    connection.displayName(), List.copyOf(enabled), connection.options(), connection.clientSecret(),
                    connection.realms(), connection.metadata(), connection.domainConnection(),
                    connection.showAsButton(), connection.createdAt(), clock.instant()));
        }
        ctx.status(204);
    }

    /** {@code existing} with what {@code body} sets. */
    private Connection apply(JsonBody body, Connection existing, Instant now, boolean creating) {
        String displayName = body.string("display_name", MAX_NAME).orElse(existing.displayName());
        List<String> enabledClients = body.strings("enabled_clients", IdList.MAX_ID_LENGTH)
                .map(this::existingClients).orElse(existing.enabledClients());
        List<String> realms = body.strings("realms", 255).orElse(existing.realms());
        Map<String, String> metadata = body.stringMap("metadata").map(ConnectionsResource::metadata)
                .orElse(existing.metadata());
        boolean domain = body.bool("is_domain_connection").orElse(existing.domainConnection());
        boolean button = body.bool("show_as_button").orElse(existing.showAsButton());
        Map<String, Object> options = existing.options();
        String secret = existing.clientSecret();
        if (body.has("options")) {
            Map<String, Object> given = body.freeObject("options").orElse(Map.of());
            ConnectionOptions.Checked checked;
            try {
                checked = ConnectionOptions.check(existing.strategy(), given);
            } catch (IllegalArgumentException e) {
                throw JsonBody.invalid(e.getMessage(), "options");
            }
            options = checked.options();
            if (checked.clientSecret() != null) {
                secret = checked.clientSecret();
            }
        } else if (creating) {
            try {
                ConnectionOptions.Checked checked = ConnectionOptions.check(existing.strategy(), Map.of());
                options = checked.options();
            } catch (IllegalArgumentException e) {
                throw JsonBody.invalid(e.getMessage(), "options");
            }
        }
        if (existing.upstream() && secret == null) {
            throw JsonBody.invalid("Missing required property: " + (SocialStrategy.APPLE.strategy()
                    .equals(existing.strategy()) ? "app_secret (or client_secret)" : "client_secret"), "options");
        }
        if (AppleSigningKey.isPem(secret) && !(options.get("team_id") instanceof String
                && options.get("kid") instanceof String)) {
            // The key kept from before signs Apple's client secret only with both.
            throw JsonBody.invalid("Missing required property: team_id and kid go with app_secret", "options");
        }
        return new Connection(existing.id(), existing.name(), existing.strategy(), displayName, enabledClients,
                options, secret, realms, metadata, domain, button, existing.createdAt(), now);
    }

    private List<String> existingClients(List<String> ids) {
        for (String id : ids) {
            if (clients.findById(id).isEmpty()) {
                throw JsonBody.invalid("No client with id " + id + " exists", "enabled_clients");
            }
        }
        return List.copyOf(new LinkedHashSet<>(ids));
    }

    private static Map<String, String> metadata(Map<String, String> metadata) {
        if (metadata.size() > MAX_METADATA) {
            throw JsonBody.invalid("Too many properties (" + metadata.size() + "), maximum " + MAX_METADATA,
                    "metadata");
        }
        metadata.forEach((key, value) -> {
            if (value.length() > MAX_METADATA_VALUE) {
                throw JsonBody.invalid("String is too long, maximum " + MAX_METADATA_VALUE, "metadata." + key);
            }
        });
        return metadata;
    }

    private Connection find(Context ctx) {
        return PathIds.find(ctx, store::findById, ConnectionsResource::notFound);
    }

    private static ManagementException notFound() {
        return ManagementException.notFound("The connection does not exist", "inexistent_connection");
    }

    static ObjectNode view(Connection connection) {
        ObjectNode node = Json.object()
                .put("id", connection.id())
                .put("name", connection.name())
                .put("strategy", connection.strategy())
                .put("display_name", connection.label())
                .put("is_domain_connection", connection.domainConnection())
                .put("show_as_button", connection.showAsButton());
        var clients = node.putArray("enabled_clients");
        connection.enabledClients().forEach(clients::add);
        var realms = node.putArray("realms");
        connection.effectiveRealms().forEach(realms::add);
        node.set("metadata", Json.MAPPER.valueToTree(connection.metadata()));
        // Never the client secret: it is kept apart from the options.
        node.set("options", Json.MAPPER.valueToTree(connection.options()));
        return node;
    }
}
