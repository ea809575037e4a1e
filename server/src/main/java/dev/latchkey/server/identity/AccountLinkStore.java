package dev.latchkey.server.identity;

import java.time.Instant;
import java.util.Map;

/**
 * Where account linking moves identities between users. Each change is one transaction that locks both users
 * (in id order, so two links in opposite directions cannot both win) and re-checks what it relies on, so
 * concurrent links and unlinks on any node leave one consistent answer.
 */
public interface AccountLinkStore {

    /** What a link or an unlink came to. */
    enum Outcome {
        DONE,
        /** The primary (or, unlinking, the identity's user) is no longer there. */
        PRIMARY_GONE,
        /** The secondary was deleted or linked elsewhere meanwhile. */
        SECONDARY_GONE,
        /** The secondary was blocked meanwhile: linked, its credentials would log the primary in. */
        SECONDARY_BLOCKED,
        /** The secondary has identities of other users linked into it by now. */
        SECONDARY_HAS_LINKS,
        /** The identity is no longer linked to the primary. */
        IDENTITY_GONE,
        /** The user an unlink re-creates collides with an existing user (its id, or its email in the connection). */
        DUPLICATE
    }

    /**
     * Links {@code secondaryId} into {@code primaryId}: the secondary's identities move to the primary; a database
     * secondary's own identity becomes a row with {@code databaseProfile} as its profile data and the user's email
     * and password hash, so that its password logs the primary in; the secondary is deleted with everything issued
     * to it (sessions, tokens, consents, roles, permissions).
     */
    Outcome link(String primaryId, String secondaryId, Map<String, Object> databaseProfile, Instant at);

    /**
     * Unlinks {@code identity} from {@code primaryId} and makes it the main identity of {@code restored}, created
     * anew; a database identity's password hash goes back to the user row.
     */
    Outcome unlink(String primaryId, Identity identity, User restored);
}
