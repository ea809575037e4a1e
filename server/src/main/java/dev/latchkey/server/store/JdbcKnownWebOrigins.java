package dev.latchkey.server.store;

import dev.latchkey.server.registry.KnownWebOrigins;
import org.jdbi.v3.core.Jdbi;

/** Looks an origin up in the clients' {@code web_origins} (a JSON array column). */
public final class JdbcKnownWebOrigins implements KnownWebOrigins {

    private final Jdbi jdbi;

    public JdbcKnownWebOrigins(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean known(String origin) {
        // The array holds the origin as a JSON string: search for it quoted, LIKE wildcards escaped.
        String quoted = JsonColumns.write(origin);
        String pattern = "%" + quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM clients WHERE web_origins LIKE :pattern ESCAPE '\\'")
                .bind("pattern", pattern).mapTo(Long.class).one()) > 0;
    }
}
