package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.registry.TenantSettings;
import dev.latchkey.server.registry.TenantSettingsStore;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;

public final class JdbcTenantSettingsStore implements TenantSettingsStore {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final Jdbi jdbi;

    public JdbcTenantSettingsStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public TenantSettings read() {
        return jdbi.withHandle(h -> h.createQuery("SELECT settings FROM tenant_settings WHERE id = 1")
                .mapTo(String.class).findOne()
                .map(json -> new TenantSettings(JsonColumns.read(json, OBJECT)))
                .orElse(TenantSettings.DEFAULT));
    }

    @Override
    public void write(TenantSettings settings) {
        String json = JsonColumns.write(settings.json());
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE tenant_settings SET settings = :settings WHERE id = 1")
                    .bind("settings", json).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO tenant_settings (id, settings) VALUES (1, :settings)")
                        .bind("settings", json).execute();
            }
        });
    }
}
