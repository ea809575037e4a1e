package dev.latchkey.server.management;

import java.util.List;

/**
 * The scopes the Management API defines, with Auth0's names. The bootstrap client is granted all
 * of them.
 */
public final class ManagementScopes {

    public static final List<String> ALL = List.of(
            "read:clients", "create:clients", "update:clients", "delete:clients",
            "read:client_keys", "update:client_keys",
            "read:resource_servers", "create:resource_servers", "update:resource_servers", "delete:resource_servers",
            "read:client_grants", "create:client_grants", "update:client_grants", "delete:client_grants",
            "read:signing_keys", "create:signing_keys", "update:signing_keys",
            "read:users", "create:users", "update:users", "delete:users", "read:users_app_metadata", "read:user_idp_tokens",
            "update:users_app_metadata", "read:connections", "create:connections", "update:connections",
            "delete:connections", "read:grants", "delete:grants", "read:logs", "read:tenant_settings",
            "update:tenant_settings", "read:refresh_tokens", "delete:refresh_tokens", "read:sessions",
            "delete:sessions", "read:device_credentials", "delete:device_credentials",
            "read:roles", "create:roles", "update:roles", "delete:roles",
            "read:role_members", "create:role_members", "delete:role_members", "read:actions",
            "read:stats");

    private ManagementScopes() {
    }
}
