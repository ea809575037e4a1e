package dev.latchkey.server.store;

import dev.latchkey.server.Rollout;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a node of an earlier release still uses the database, told by the connections PostgreSQL lists
 * ({@code pg_stat_activity}): this release names its connections {@link #APPLICATION_NAME}, and the releases before
 * the new forms of {@link Rollout} left the PostgreSQL driver's default name. While one such connection is open on
 * this database, under any role, this node hands out the forms every release reads; once none is, the new ones.
 * A connection PostgreSQL does not show, or a pooler that renames them, is not seen: such deployments must finish
 * a rolling upgrade before the gate opens (see the README). Read again at most every {@link #RECHECK}; a failed
 * read keeps the last answer. The embedded database is this node's alone: the new forms at once.
 * <p>
 * Rolling back to an earlier release after the new forms were handed out signs out the users whose refresh tokens
 * took the family form, and refuses the sealed codes, states and opaque tokens in flight: the earlier release
 * cannot read them.
 */
public final class ReleaseGate implements Rollout {

    static final String APPLICATION_NAME = "latchkey";
    /** What the PostgreSQL driver names a connection when nobody names it. */
    static final String UNNAMED = "PostgreSQL JDBC Driver";
    static final Duration RECHECK = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseGate.class);

    private final Jdbi jdbi;
    private final boolean postgres;
    private final Clock clock;
    private final String earlierRelease;
    private volatile boolean open;
    private volatile Instant checkedAt;

    public ReleaseGate(Database database, Clock clock) {
        this(database, clock, UNNAMED);
    }

    /** Watching for connections named {@code earlierRelease} (tests name their own). */
    ReleaseGate(Database database, Clock clock, String earlierRelease) {
        this.jdbi = database.jdbi();
        this.postgres = DatabaseKind.postgres(jdbi);
        this.clock = clock;
        this.earlierRelease = earlierRelease;
        this.open = !postgres;
    }

    @Override
    public boolean newFormsReadEverywhere() {
        if (!postgres) {
            return true;
        }
        Instant checked = checkedAt;
        if (checked == null || !clock.instant().isBefore(checked.plus(RECHECK))) {
            recheck();
        }
        return open;
    }

    private synchronized void recheck() {
        Instant now = clock.instant();
        if (checkedAt != null && now.isBefore(checkedAt.plus(RECHECK))) {
            return;
        }
        Instant checked = checkedAt;
        checkedAt = now;
        try {
            boolean earlier = jdbi.withHandle(h -> h.createQuery("""
                            SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
                                AND application_name = :unnamed)""")
                    .bind("unnamed", earlierRelease).mapTo(Boolean.class).one());
            if (open == earlier || checked == null) {
                LOG.info(earlier
                        ? "A node of an earlier release uses the database: refresh tokens, upstream login states, "
                                + "codes and opaque access tokens keep the forms it reads"
                        : "Every node on the database is of this release: refresh tokens take the family form; "
                                + "upstream login states, codes and opaque access tokens are sealed");
            }
            open = !earlier;
        } catch (RuntimeException e) {
            LOG.warn("Could not tell whether an earlier release uses the database; new forms {}",
                    open ? "still in use" : "still held back");
        }
    }
}
