package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.management.KeptFieldsStore;
import org.jdbi.v3.core.Jdbi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

public final class JdbcKeptFieldsStore implements KeptFieldsStore {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final Jdbi jdbi;

    public JdbcKeptFieldsStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Map<String, Object> read(String kind, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT fields FROM kept_fields WHERE kind = :kind AND id = :id")
                .bind("kind", kind).bind("id", id).mapTo(String.class).findOne()
                .map(json -> JsonColumns.read(json, OBJECT)).orElse(Map.of()));
    }

    @Override
    public Map<String, Map<String, Object>> readAll(String kind, Collection<String> ids) {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return all;
        }
        jdbi.useHandle(h -> h.createQuery("SELECT id, fields FROM kept_fields WHERE kind = :kind AND id IN (<ids>)")
                .bind("kind", kind).bindList("ids", ids.stream().toList())
                .map((rs, ctx) -> Map.entry(rs.getString("id"), JsonColumns.read(rs.getString("fields"), OBJECT)))
                .forEach(entry -> all.put(entry.getKey(), entry.getValue())));
        return all;
    }

    @Override
    public void write(String kind, String id, Map<String, Object> fields) {
        if (fields.isEmpty()) {
            delete(kind, id);
            return;
        }
        String json = JsonColumns.write(fields);
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE kept_fields SET fields = :fields WHERE kind = :kind AND id = :id")
                    .bind("fields", json).bind("kind", kind).bind("id", id).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO kept_fields (kind, id, fields) VALUES (:kind, :id, :fields)")
                        .bind("fields", json).bind("kind", kind).bind("id", id).execute();
            }
        });
    }

    @Override
    public void delete(String kind, String id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM kept_fields WHERE kind = :kind AND id = :id")
                .bind("kind", kind).bind("id", id).execute());
    }
}
