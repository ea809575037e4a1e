package dev.latchkey.server.management;

import dev.latchkey.server.http.CallerLimit;
import dev.latchkey.server.identity.SsoSessionStore;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.registry.TenantSettingsStore;
import dev.latchkey.server.token.RefreshTokenStore;
import dev.latchkey.server.token.Revocations;
import dev.latchkey.server.audit.LogStore;
import dev.latchkey.server.audit.UsageStats;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.identity.UserAccounts;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.oauth.authorize.UserGrantStore;
import dev.latchkey.server.rbac.RoleStore;
import dev.latchkey.server.rbac.UserPermissionStore;
import dev.latchkey.server.registry.ClientGrantStore;
import dev.latchkey.server.registry.ClientStore;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServerStore;
import dev.latchkey.server.http.ControlCharacters;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.time.Clock;
import java.util.Set;

/**
 * The Management API v2 route table: every operation, the scopes that allow it (any of, as
 * Auth0), and the handler. Each call is authenticated, charged to its token's bucket (Auth0 limits the
 * Management API per token) and scope-checked before its handler runs.
 */
public final class ManagementApi {

    public static final String PREFIX = "/api/v2";

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

    public ManagementApi(String issuer, ManagementAuthenticator authenticator, ManagementAudit audit,
                         ResourceServerStore apis, ClientStore clientStore, ClientGrantStore grants,
                         RegistryLookups lookups, SigningKeyRing ring, MasterKey masterKey, BootstrapFile bootstrapFile,
                         Clock clock, UserAccounts accounts, ConnectionStore connectionStore, LogStore logStore,
                         CallerLimit tokenLimit) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.tokenLimit = tokenLimit;
        String managementAudience = issuer + "api/v2/";
        SecretAccess secrets = new SecretAccess(grants, managementAudience);
        this.resourceServers = new ResourceServersResource(apis, grants, lookups, clock,
                issuer + "userinfo");
        this.clients = new ClientsResource(clientStore, lookups, masterKey, secrets, bootstrapFile, clock);
        this.clientGrants = new ClientGrantsResource(grants, clientStore, apis, lookups, managementAudience,
                clock);
        this.signingKeys = new SigningKeysResource(ring);
        this.users = new UsersResource(accounts);
        this.connections = new ConnectionsResource(connectionStore, clientStore, accounts, lookups, clock);
        this.logs = new LogsResource(logStore);
    }

    public void register(RoutesConfig routes) {
        routes.before(PREFIX + "/*", ManagementApi::beforeEveryCall);
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

        routes.get(PREFIX + "/users", guard(users::list, "read:users"));
        routes.post(PREFIX + "/users", guard(users::create, "create:users"));
        routes.get(PREFIX + "/users/{id}", guard(users::get, "read:users"));
        routes.patch(PREFIX + "/users/{id}", guard(users::update, "update:users", "update:users_app_metadata"));
        routes.delete(PREFIX + "/users/{id}", guard(users::delete, "delete:users"));
        routes.get(PREFIX + "/users/{id}/logs", guard(logs::forUser, "read:logs", "read:logs_users"));
        routes.get(PREFIX + "/users-by-email", guard(users::byEmail, "read:users"));
        routes.get(PREFIX + "/user-blocks", guard(users::blocksByIdentifier, "read:users"));
        routes.delete(PREFIX + "/user-blocks", guard(users::unblockByIdentifier, "update:users"));
        routes.get(PREFIX + "/user-blocks/{id}", guard(users::blocks, "read:users"));
        routes.delete(PREFIX + "/user-blocks/{id}", guard(users::unblock, "update:users"));

        routes.get(PREFIX + "/connections", guard(connections::list, "read:connections"));
        routes.get(PREFIX + "/connections/{id}", guard(connections::get, "read:connections"));
        routes.post(PREFIX + "/connections", guard(connections::create, "create:connections"));
        routes.patch(PREFIX + "/connections/{id}", guard(connections::update, "update:connections"));
        routes.delete(PREFIX + "/connections/{id}", guard(connections::delete, "delete:connections"));
        routes.get(PREFIX + "/connections/{id}/clients", guard(connections::enabledClients, "read:connections"));
        routes.patch(PREFIX + "/connections/{id}/clients",
                guard(connections::updateEnabledClients, "update:connections"));

        ActionsResource actions = new ActionsResource();
        routes.get(PREFIX + "/actions/actions", guard(actions::list, "read:actions"));

        routes.get(PREFIX + "/logs", guard(logs::list, "read:logs", "read:logs_users"));
        routes.get(PREFIX + "/logs/{id}", guard(logs::get, "read:logs", "read:logs_users"));
    }

    /** {@code /api/v2/grants}: the consents users gave applications. */
    public void registerUserGrants(RoutesConfig routes, UserGrantStore store, Revocations revocations,
                                   String userinfoAudience) {
        GrantsResource grants = new GrantsResource(store, revocations, userinfoAudience);
        routes.get(PREFIX + "/grants", guard(grants::list, "read:grants"));
        routes.delete(PREFIX + "/grants", guard(grants::deleteByUser, "delete:grants"));
        routes.delete(PREFIX + "/grants/{id}", guard(grants::delete, "delete:grants"));
    }

    /**
     * What users hold: refresh tokens (also as Auth0's device credentials) and SSO sessions; deleting
     * any of them revokes the authorizations behind it. And the tenant's settings.
     */
    public void registerLifecycle(RoutesConfig routes, RefreshTokenStore refreshTokens, SsoSessionStore sessions,
                                  Revocations revocations, TenantSettingsStore tenant, RegistryLookups lookups) {
        HeldTokensResource held = new HeldTokensResource(refreshTokens, sessions, revocations);
        routes.get(PREFIX + "/users/{id}/refresh-tokens", guard(held::refreshTokensOfUser, "read:refresh_tokens"));
        routes.delete(PREFIX + "/users/{id}/refresh-tokens",
                guard(held::deleteRefreshTokensOfUser, "delete:refresh_tokens"));
        routes.get(PREFIX + "/refresh-tokens/{id}", guard(held::refreshToken, "read:refresh_tokens"));
        routes.delete(PREFIX + "/refresh-tokens/{id}", guard(held::deleteRefreshToken, "delete:refresh_tokens"));
        routes.get(PREFIX + "/device-credentials", guard(held::deviceCredentials, "read:device_credentials"));
        routes.delete(PREFIX + "/device-credentials/{id}",
                guard(held::deleteDeviceCredential, "delete:device_credentials"));
        routes.get(PREFIX + "/sessions/{id}", guard(held::session, "read:sessions"));
        routes.delete(PREFIX + "/sessions/{id}", guard(held::deleteSession, "delete:sessions"));
        routes.get(PREFIX + "/users/{id}/sessions", guard(held::sessionsOfUser, "read:sessions"));
        routes.delete(PREFIX + "/users/{id}/sessions", guard(held::deleteSessionsOfUser, "delete:sessions"));
        TenantSettingsResource settings = new TenantSettingsResource(tenant, lookups);
        routes.get(PREFIX + "/tenants/settings", guard(settings::get, "read:tenant_settings"));
        routes.patch(PREFIX + "/tenants/settings", guard(settings::update, "update:tenant_settings"));
    }

    /** Roles and permissions (Auth0 RBAC): {@code /api/v2/roles...}, {@code /api/v2/users/{id}/roles|permissions}. */
    public void registerRbac(RoutesConfig routes, RoleStore roleStore, UserPermissionStore userPermissions,
                             ResourceServerStore apis, RegistryLookups lookups, UserAccounts accounts, Clock clock) {
        PermissionList permissions = new PermissionList(apis, lookups);
        RolesResource roles = new RolesResource(roleStore, accounts, permissions, clock);
        UserAccessResource access = new UserAccessResource(accounts, roleStore, userPermissions, permissions);
        routes.get(PREFIX + "/roles", guard(roles::list, "read:roles"));
        routes.post(PREFIX + "/roles", guard(roles::create, "create:roles"));
        routes.get(PREFIX + "/roles/{id}", guard(roles::get, "read:roles"));
        routes.patch(PREFIX + "/roles/{id}", guard(roles::update, "update:roles"));
        routes.delete(PREFIX + "/roles/{id}", guard(roles::delete, "delete:roles"));
        routes.get(PREFIX + "/roles/{id}/permissions", guard(roles::listPermissions, "read:roles"));
        routes.post(PREFIX + "/roles/{id}/permissions", guard(roles::addPermissions, "update:roles"));
        routes.delete(PREFIX + "/roles/{id}/permissions", guard(roles::removePermissions, "update:roles"));
        routes.get(PREFIX + "/roles/{id}/users", guard(roles::listUsers, "read:role_members"));
        routes.post(PREFIX + "/roles/{id}/users", guard(roles::addUsers, "create:role_members"));

        routes.get(PREFIX + "/users/{id}/roles", guard(access::listRoles, "read:users", "read:roles"));
        routes.post(PREFIX + "/users/{id}/roles", guard(access::addRoles, "update:users", "create:role_members"));
        routes.delete(PREFIX + "/users/{id}/roles", guard(access::removeRoles, "update:users", "delete:role_members"));
        routes.get(PREFIX + "/users/{id}/permissions", guard(access::listPermissions, "read:users"));
        routes.post(PREFIX + "/users/{id}/permissions", guard(access::addPermissions, "update:users"));
        routes.delete(PREFIX + "/users/{id}/permissions", guard(access::removePermissions, "update:users"));
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
    private Handler guard(ManagementHandler handler, String... anyOf) {
        Set<String> required = Set.of(anyOf);
        String expected = String.join(", ", anyOf);
        return ctx -> {
            String authorization = ctx.header("Authorization");
            ManagementCaller caller = authenticator.authenticate(authorization);
            tokenLimit.charge(ctx, SecretHash.of(authorization));
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

    /** {@code /api/v2/stats/active-users} and {@code /api/v2/stats/daily}. */
    public void registerStats(RoutesConfig routes, UsageStats stats, Clock clock) {
        StatsResource resource = new StatsResource(stats, clock);
        routes.get(PREFIX + "/stats/active-users", guard(resource::activeUsers, "read:stats"));
        routes.get(PREFIX + "/stats/daily", guard(resource::daily, "read:stats"));
    }
}
