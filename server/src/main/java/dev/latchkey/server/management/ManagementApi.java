package dev.latchkey.server.management;

import dev.latchkey.server.http.CallerLimit;
import dev.latchkey.server.identity.SsoSessionStore;
import dev.latchkey.server.registry.TenantSettingsStore;
import dev.latchkey.server.token.OwnTokens;
import dev.latchkey.server.token.RefreshTokenStore;
import dev.latchkey.server.token.Revocations;
import dev.latchkey.server.audit.LogStore;
import dev.latchkey.server.audit.UsageStats;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.identity.AccountLinking;
import dev.latchkey.server.identity.UserAccounts;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.oauth.authorize.UserGrantStore;
import dev.latchkey.server.rbac.RoleStore;
import dev.latchkey.server.rbac.UserPermissionStore;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientGrantStore;
import dev.latchkey.server.registry.ClientStore;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServerStore;
import dev.latchkey.server.http.ControlCharacters;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.jobs.UserJobs;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.latchkey.server.management.ManagementSchemas.CLIENT_CREATE;
import static dev.latchkey.server.management.ManagementSchemas.CLIENT_GRANT_CREATE;
import static dev.latchkey.server.management.ManagementSchemas.CLIENT_GRANT_UPDATE;
import static dev.latchkey.server.management.ManagementSchemas.CLIENT_UPDATE;
import static dev.latchkey.server.management.ManagementSchemas.RESOURCE_SERVER_CREATE;
import static dev.latchkey.server.management.ManagementSchemas.RESOURCE_SERVER_UPDATE;
import static dev.latchkey.server.management.ManagementSchemas.ROLE_CREATE;
import static dev.latchkey.server.management.ManagementSchemas.ROLE_UPDATE;
import static dev.latchkey.server.management.ManagementSchemas.TENANT_SETTINGS_UPDATE;
import static dev.latchkey.server.management.Operation.Answer.created;
import static dev.latchkey.server.management.Operation.Answer.json;
import static dev.latchkey.server.management.Operation.Answer.none;
import static dev.latchkey.server.management.Operation.Answer.one;
import static dev.latchkey.server.management.Operation.Answer.page;

/**
 * The Management API v2 route table: every operation, declared once ({@link RouteTable}) with the scopes
 * that allow it (any of, as Auth0), its handler, the body it takes and what it answers; the OpenAPI 3.1
 * document at {@code /api/v2/openapi.json} is made from the same declarations. Each call is authenticated,
 * charged to its token's bucket (Auth0 limits the Management API per token) and scope-checked before its
 * handler runs.
 */
public final class ManagementApi {

    public static final String PREFIX = "/api/v2";
    public static final String OPENAPI_PATH = "/openapi.json";

    private final ManagementAuthenticator authenticator;
    private final ManagementAudit audit;
    private final CallerLimit tokenLimit;
    private final ResourceServersResource resourceServers;
    private final ClientsResource clients;
    private final ClientGrantsResource clientGrants;
    private final SigningKeysResource signingKeys;
    private final UsersResource users;
    private final ConnectionsResource connections;
    private final LogsResource logs;
    private final KeptFieldsStore kept;
    private final OpenApiDocument openApi;
    private final List<Operation> operations = new ArrayList<>();
    private final ManagementRouter router = new ManagementRouter(PREFIX);

    public ManagementApi(String issuer, ManagementAuthenticator authenticator, ManagementAudit audit,
                         ResourceServerStore apis, ClientStore clientStore, ClientGrantStore grants,
                         RegistryLookups lookups, SigningKeyRing ring, MasterKey masterKey, BootstrapFile bootstrapFile,
                         Clock clock, UserAccounts accounts, ConnectionStore connectionStore, LogStore logStore,
                         CallerLimit tokenLimit, KeptFieldsStore keptStore) {
        this.kept = new KeptFieldsCache(keptStore);
        this.openApi = new OpenApiDocument(issuer);
        this.authenticator = authenticator;
        this.audit = audit;
        this.tokenLimit = tokenLimit;
        String managementAudience = issuer + "api/v2/";
        SecretAccess secrets = new SecretAccess(lookups, managementAudience);
        this.resourceServers = new ResourceServersResource(apis, grants, lookups, clock,
                issuer + "userinfo", kept);
        this.clients = new ClientsResource(clientStore, lookups, masterKey, secrets, bootstrapFile, clock, kept);
        this.clientGrants = new ClientGrantsResource(grants, clientStore, apis, lookups, managementAudience,
                clock, kept);
        this.signingKeys = new SigningKeysResource(ring);
        this.users = new UsersResource(accounts);
        this.connections = new ConnectionsResource(connectionStore, clientStore, accounts, lookups, clock);
        this.logs = new LogsResource(logStore);
    }

    /** The Management API's own routes, and its OpenAPI document at {@link #OPENAPI_PATH}. */
    public void register(RoutesConfig routes) {
        routes.before(PREFIX + "/*", ManagementApi::beforeEveryCall);
        // Public, as the API's documentation is: it describes the routes, and holds nothing of the tenant.
        router.add(HandlerType.GET, OPENAPI_PATH,
                ctx -> Json.write(ctx, 200, openApi.document(RouteTable.snapshot(operations))));
        // A wildcard, not a path parameter: the router reads the path itself, and Javalin would match a parameter's
        // pattern twice more per call to extract it (3% of a GET's worker CPU).
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PATCH, HandlerType.PUT,
                HandlerType.DELETE)) {
            routes.addHttpHandler(method, PREFIX + "/*", router::dispatch);
        }
        RouteTable table = table();
        table.get("/resource-servers", resourceServers::list, page("ResourceServer"), "read:resource_servers");
        table.post("/resource-servers", resourceServers::create, RESOURCE_SERVER_CREATE, created("ResourceServer"),
                "create:resource_servers");
        table.get("/resource-servers/{id}", resourceServers::get, one("ResourceServer"), "read:resource_servers");
        table.patch("/resource-servers/{id}", resourceServers::update, RESOURCE_SERVER_UPDATE, one("ResourceServer"),
                "update:resource_servers");
        table.delete("/resource-servers/{id}", resourceServers::delete, "delete:resource_servers");

        table.get("/clients", clients::list, page("Client"), "read:clients", "read:client_keys");
        table.post("/clients", clients::create, CLIENT_CREATE, created("Client"), "create:clients");
        table.get("/clients/{id}", clients::get, one("Client"), "read:clients", "read:client_keys");
        table.patch("/clients/{id}", clients::update, CLIENT_UPDATE, one("Client"), "update:clients",
                "update:client_keys");
        table.delete("/clients/{id}", clients::delete, "delete:clients");
        table.post("/clients/{id}/rotate-secret", clients::rotateSecret, null, one("Client"), "update:client_keys");

        table.get("/client-grants", clientGrants::list, page("ClientGrant"), "read:client_grants");
        table.post("/client-grants", clientGrants::create, CLIENT_GRANT_CREATE, created("ClientGrant"),
                "create:client_grants");
        table.get("/client-grants/{id}", clientGrants::get, one("ClientGrant"), "read:client_grants");
        table.patch("/client-grants/{id}", clientGrants::update, CLIENT_GRANT_UPDATE, one("ClientGrant"),
                "update:client_grants");
        table.delete("/client-grants/{id}", clientGrants::delete, "delete:client_grants");

        table.get("/keys/signing", signingKeys::list, json(200), "read:signing_keys");
        table.get("/keys/signing/{kid}", signingKeys::get, json(200), "read:signing_keys");
        table.post("/keys/signing/rotate", signingKeys::rotate, null, json(201), "create:signing_keys",
                "update:signing_keys");
        table.put("/keys/signing/{kid}/revoke", signingKeys::revoke, json(200), "update:signing_keys");

        table.get("/users", users::list, json(200), "read:users");
        table.post("/users", users::create, null, json(201), "create:users");
        table.get("/users/{id}", users::get, json(200), "read:users");
        table.patch("/users/{id}", users::update, null, json(200), "update:users", "update:users_app_metadata");
        table.delete("/users/{id}", users::delete, "delete:users");
        table.get("/users/{id}/logs", logs::forUser, json(200), "read:logs", "read:logs_users");
        table.get("/users-by-email", users::byEmail, json(200), "read:users");
        table.get("/user-blocks", users::blocksByIdentifier, json(200), "read:users");
        table.delete("/user-blocks", users::unblockByIdentifier, "update:users");
        table.get("/user-blocks/{id}", users::blocks, json(200), "read:users");
        table.delete("/user-blocks/{id}", users::unblock, "update:users");

        table.get("/connections", connections::list, json(200), "read:connections");
        table.post("/connections", connections::create, null, json(201), "create:connections");
        table.get("/connections/{id}", connections::get, json(200), "read:connections");
        table.patch("/connections/{id}", connections::update, null, json(200), "update:connections");
        table.delete("/connections/{id}", connections::delete, "delete:connections");
        table.get("/connections/{id}/clients", connections::enabledClients, json(200), "read:connections");
        table.patch("/connections/{id}/clients", connections::updateEnabledClients, null, none(204),
                "update:connections");

        ActionsResource actions = new ActionsResource();
        table.get("/actions/actions", actions::list, json(200), "read:actions");

        table.get("/logs", logs::list, json(200), "read:logs", "read:logs_users");
        table.get("/logs/{id}", logs::get, json(200), "read:logs", "read:logs_users");
    }

    /** {@code /api/v2/grants}: the consents users gave applications. */
    public void registerUserGrants(UserGrantStore store, Revocations revocations,
                                   String userinfoAudience) {
        GrantsResource grants = new GrantsResource(store, revocations, userinfoAudience);
        RouteTable table = table();
        table.get("/grants", grants::list, json(200), "read:grants");
        table.delete("/grants", grants::deleteByUser, "delete:grants");
        table.delete("/grants/{id}", grants::delete, "delete:grants");
    }

    /**
     * What users hold: refresh tokens (also as Auth0's device credentials) and SSO sessions; deleting
     * any of them revokes the authorizations behind it. And the tenant's settings.
     */
    public void registerLifecycle(RefreshTokenStore refreshTokens, SsoSessionStore sessions,
                                  Revocations revocations, TenantSettingsStore tenant, RegistryLookups lookups) {
        HeldTokensResource held = new HeldTokensResource(refreshTokens, sessions, revocations);
        RouteTable table = table();
        table.get("/users/{id}/refresh-tokens", held::refreshTokensOfUser, json(200), "read:refresh_tokens");
        table.delete("/users/{id}/refresh-tokens", held::deleteRefreshTokensOfUser, "delete:refresh_tokens");
        table.get("/refresh-tokens/{id}", held::refreshToken, json(200), "read:refresh_tokens");
        table.delete("/refresh-tokens/{id}", held::deleteRefreshToken, "delete:refresh_tokens");
        table.get("/device-credentials", held::deviceCredentials, json(200), "read:device_credentials");
        table.delete("/device-credentials/{id}", held::deleteDeviceCredential, "delete:device_credentials");
        table.get("/sessions/{id}", held::session, json(200), "read:sessions");
        table.delete("/sessions/{id}", held::deleteSession, "delete:sessions");
        table.get("/users/{id}/sessions", held::sessionsOfUser, json(200), "read:sessions");
        table.delete("/users/{id}/sessions", held::deleteSessionsOfUser, "delete:sessions");
        TenantSettingsResource settings = new TenantSettingsResource(tenant, lookups);
        table.get("/tenants/settings", settings::get, one("TenantSettings"), "read:tenant_settings");
        table.patch("/tenants/settings", settings::update, TENANT_SETTINGS_UPDATE, one("TenantSettings"),
                "update:tenant_settings");
    }

    /** Roles and permissions (Auth0 RBAC): {@code /api/v2/roles...}, {@code /api/v2/users/{id}/roles|permissions}. */
    public void registerRbac(RoleStore roleStore, UserPermissionStore userPermissions,
                             ResourceServerStore apis, RegistryLookups lookups, UserAccounts accounts, Clock clock) {
        PermissionList permissions = new PermissionList(apis, lookups);
        RolesResource roles = new RolesResource(roleStore, accounts, permissions, clock, kept);
        UserAccessResource access = new UserAccessResource(accounts, roleStore, userPermissions, permissions);
        RouteTable table = table();
        table.get("/roles", roles::list, page("Role"), "read:roles");
        table.post("/roles", roles::create, ROLE_CREATE, created("Role"), "create:roles");
        table.get("/roles/{id}", roles::get, one("Role"), "read:roles");
        table.patch("/roles/{id}", roles::update, ROLE_UPDATE, one("Role"), "update:roles");
        table.delete("/roles/{id}", roles::delete, "delete:roles");
        table.get("/roles/{id}/permissions", roles::listPermissions, json(200), "read:roles");
        table.post("/roles/{id}/permissions", roles::addPermissions, null, none(201), "update:roles");
        table.delete("/roles/{id}/permissions", roles::removePermissions, "update:roles");
        table.get("/roles/{id}/users", roles::listUsers, json(200), "read:role_members");
        table.post("/roles/{id}/users", roles::addUsers, null, none(200), "create:role_members");

        table.get("/users/{id}/roles", access::listRoles, json(200), "read:users", "read:roles");
        table.post("/users/{id}/roles", access::addRoles, null, none(204), "update:users", "create:role_members");
        table.delete("/users/{id}/roles", access::removeRoles, "update:users", "delete:role_members");
        table.get("/users/{id}/permissions", access::listPermissions, json(200), "read:users");
        table.post("/users/{id}/permissions", access::addPermissions, null, none(201), "update:users");
        table.delete("/users/{id}/permissions", access::removePermissions, "update:users");
    }

    /**
     * Account linking (Auth0 "Link a user account", "Unlink a user identity"): {@code update:users}, or
     * {@code update:current_user_identities} for the user the token was issued to.
     */
    public void registerIdentities(AccountLinking linking, OwnTokens tokens, RegistryLookups lookups, Clock clock) {
        UserIdentitiesResource identities = new UserIdentitiesResource(linking, tokens,
                clientId -> lookups.client(clientId).map(Client::firstParty).orElse(false), clock);
        RouteTable table = table();
        table.post("/users/{id}/identities", identities::link, null, json(201), UserIdentitiesResource.ADMIN_SCOPE,
                UserIdentitiesResource.CURRENT_USER_SCOPE);
        table.delete("/users/{id}/identities/{provider}/{user_id}", identities::unlink, json(200),
                UserIdentitiesResource.ADMIN_SCOPE, UserIdentitiesResource.CURRENT_USER_SCOPE);
    }

    /** {@code /api/v2/stats/active-users} and {@code /api/v2/stats/daily}. */
    public void registerStats(UsageStats stats, Clock clock) {
        StatsResource resource = new StatsResource(stats, clock);
        RouteTable table = table();
        table.get("/stats/active-users", resource::activeUsers, json(200), "read:stats");
        table.get("/stats/daily", resource::daily, json(200), "read:stats");
    }

    private RouteTable table() {
        return new RouteTable(router, operation -> guard(operation.handler(), operation.scopes()), operations);
    }

    /**
     * Every answer, errors included, is {@code Cache-Control: no-store} (it may hold secrets; RFC 9111 §5.2.2.5),
     * and a query parameter with a control character is refused before any handler sees it.
     */
    private static void beforeEveryCall(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.queryParamMap().forEach((name, values) -> {
            if (ControlCharacters.in(name, false) || values.stream().anyMatch(v -> ControlCharacters.in(v, false))) {
                throw ManagementException.invalidQuery("Query validation error: 'String must not contain control "
                        + "characters' on property " + (ControlCharacters.in(name, false) ? "(name)" : name) + ".");
            }
        });
    }

    /** Authenticates, checks the scope, runs the handler; a write is logged either way once the caller is known. */
    private Handler guard(ManagementHandler handler, List<String> anyOf) {
        Set<String> required = Set.copyOf(anyOf);
        String expected = String.join(", ", anyOf);
        return ctx -> {
            String authorization = ctx.header("Authorization");
            ManagementCaller caller = authenticator.authenticate(authorization);
            tokenLimit.charge(ctx, caller.tokenDigest());
            if (!ManagementAudit.isWrite(ctx)) {
                run(ctx, caller, handler, required, expected);
                return;
            }
            try {
                run(ctx, caller, handler, required, expected);
            } catch (ManagementException e) {
                audit.failed(ctx, caller, e.statusCode(), e.errorCode());
                throw e;
            } catch (RuntimeException e) {
                audit.failed(ctx, caller, 500, "internal_error");
                throw e;
            }
            audit.succeeded(ctx, caller);
        };
    }

    private static void run(Context ctx, ManagementCaller caller, ManagementHandler handler, Set<String> required,
                            String expected) {
        if (!caller.hasAny(required)) {
            throw ManagementException.insufficientScope(expected);
        }
        handler.handle(ctx, caller);
    }

    /**
     * {@code /api/v2/jobs}: bulk user imports and exports (scopes as Auth0: create:users to import,
     * read:users to export and to read jobs). An export's download is reached by its signed link only.
     */
    public void registerJobs(UserJobs jobs, MasterKey masterKey, String issuer, Clock clock,
                             Path uploads, long maxUploadBytes) {
        JobsResource resource = new JobsResource(jobs, new JobDownloadLinks(masterKey, issuer, clock), uploads,
                maxUploadBytes);
        RouteTable table = table();
        table.post("/jobs/users-imports", resource::importUsers, null, json(201), "create:users");
        table.post("/jobs/users-exports", resource::exportUsers, null, json(201), "read:users");
        table.get("/jobs/{id}", resource::get, json(200), "create:users", "read:users");
        table.get("/jobs/{id}/errors", resource::errors, json(200), "create:users", "read:users");
        router.add(HandlerType.GET, "/jobs/{id}/download", resource::download);
    }
}
