package dev.latchkey.server.identity;

import java.util.List;
import java.util.Optional;

/** Where users' upstream identities are kept, tokens sealed. */
public interface IdentityStore {

    Optional<Identity> find(String connection, String subject);

    /** Creates or replaces the identity of {@code connection} and {@code subject}. */
    void save(Identity identity);

    List<Identity> ofUser(String userId);
}
