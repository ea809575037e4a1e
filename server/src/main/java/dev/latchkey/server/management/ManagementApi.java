package dev.latchkey.server.management;

import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.oauth.authorize.UserGrantStore;
import dev.latchkey.server.registry.ClientGrantStore;
import dev.latchkey.server.registry.ClientStore;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServerStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;

import java.time.Clock;
import java.util.Set;

/**
 * The Management API v2 route table: every operation, the scopes that allow it (any of, as
 * Auth0), and the handler. Each call is authenticated and scope-checked before its handler runs.
 */
public final class ManagementApi {

    public static final String PREFIX = "/api/v2";

    private final ManagementAuthenticator authenticator;
    private final ResourceServersResource resourceServers;
    private final ClientsResource clients;
    private final ClientGrantsResource clientGrants;
    private final SigningKeysResource signingKeys;

    public ManagementApi(ManagementAuthenticator authenticator, ResourceServerStore apis, ClientStore clientStore,
                         ClientGrantStore grants, RegistryLookups lookups, SigningKeyRing ring,
                         MasterKey masterKey, Clock clock) {
        this.authenticator = authenticator;
        this.resourceServers = new ResourceServersResource(apis, grants, lookups, clock);
        this.clients = new ClientsResource(clientStore, lookups, masterKey, clock);
        this.clientGrants = new ClientGrantsResource(grants, clientStore, apis, lookups, clock);
        this.signingKeys = new SigningKeysResource(ring);
    }

    public void register(RoutesConfig routes) {
        routes.get(PREFIX + "/resource-servers", guard(resourceServers::list, "read:resource_servers"));
        routes.post(PREFIX + "/resource-servers", guard(resourceServers::create, "create:resource_servers"));
        routes.get(PREFIX + "/resource-servers/{id}", guard(resourceServers::get, "read:resource_servers"));
        routes.patch(PREFIX + "/resource-servers/{id}", guard(resourceServers::update, "update:resource_servers"));
        routes.delete(PREFIX + "/resource-servers/{id}", guard(resourceServers::delete, "delete:resource_servers"));

        routes.get(PREFIX + "/clients", guard(clients::list, "read:clients", "read:client_keys"));
        routes.post(PREFIX + "/clients", guard(clients::create, "create:clients"));
        routes.get(PREFIX + "/clients/{id}", guard(clients::get, "read:clients", "read:client_keys"));
        routes.patch(PREFIX + "/clients/{id}", guard(clients::update, "update:clients", "update:client_keys"));
        routes.delete(PREFIX + "/clients/{id}", guard(clients::delete, "delete:clients"));
        routes.post(PREFIX + "/clients/{id}/rotate-secret", guard(clients::rotateSecret, "update:client_keys"));

        routes.get(PREFIX + "/client-grants", guard(clientGrants::list, "read:client_grants"));
        routes.post(PREFIX + "/client-grants", guard(clientGrants::create, "create:client_grants"));
        routes.get(PREFIX + "/client-grants/{id}", guard(clientGrants::get, "read:client_grants"));
        routes.patch(PREFIX + "/client-grants/{id}", guard(clientGrants::update, "update:client_grants"));
        routes.delete(PREFIX + "/client-grants/{id}", guard(clientGrants::delete, "delete:client_grants"));

        routes.get(PREFIX + "/keys/signing", guard(signingKeys::list, "read:signing_keys"));
        routes.get(PREFIX + "/keys/signing/{kid}", guard(signingKeys::get, "read:signing_keys"));
        routes.post(PREFIX + "/keys/signing/rotate",
                guard(signingKeys::rotate, "create:signing_keys", "update:signing_keys"));
        routes.put(PREFIX + "/keys/signing/{kid}/revoke", guard(signingKeys::revoke, "update:signing_keys"));
    }

    /** {@code /api/v2/grants}: the consents users gave applications. */
    public void registerUserGrants(RoutesConfig routes, UserGrantStore store) {
        GrantsResource grants = new GrantsResource(store);
        routes.get(PREFIX + "/grants", guard(grants::list, "read:grants"));
        routes.delete(PREFIX + "/grants", guard(grants::deleteByUser, "delete:grants"));
        routes.delete(PREFIX + "/grants/{id}", guard(grants::delete, "delete:grants"));
    }

    private Handler guard(ManagementHandler handler, String... anyOf) {
        Set<String> required = Set.of(anyOf);
        String expected = String.join(", ", anyOf);
        return ctx -> {
            ManagementCaller caller = authenticator.authenticate(ctx.header("Authorization"));
            if (!caller.hasAny(required)) {
                throw ManagementException.insufficientScope(expected);
            }
            handler.handle(ctx, caller);
        };
    }
}
