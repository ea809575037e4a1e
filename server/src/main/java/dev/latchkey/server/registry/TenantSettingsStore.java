package dev.latchkey.server.registry;

/** Where the tenant's settings are kept: one row. */
public interface TenantSettingsStore {

    TenantSettings read();

    void write(TenantSettings settings);
}
