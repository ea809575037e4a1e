package dev.latchkey.server.jobs;

import dev.latchkey.server.identity.User;

import java.util.List;

/** Writes users in batches and reads them in pages, for imports and exports. */
public interface BulkUserStore {

    /** A user to import with the stored form of their password hash (null: no password). */
    record ImportedUser(User user, String passwordHash) {
        @Override
        public String toString() {
            return "ImportedUser[" + user.userId() + "]";
        }
    }

    /** What became of one imported user. */
    enum Outcome { INSERTED, UPDATED, DUPLICATE }

    /**
     * Inserts the users, or with {@code upsert} updates those whose email the connection already has;
     * answers one outcome per user, in order. Without upsert an existing email or user id is DUPLICATE.
     */
    List<Outcome> importBatch(List<ImportedUser> users, boolean upsert);

    /** Users of {@code connection} with a user id after {@code afterUserId} (null: from the first), by id. */
    List<User> page(String connection, String afterUserId, int limit);
}
