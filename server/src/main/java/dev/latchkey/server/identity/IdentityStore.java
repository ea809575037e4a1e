package dev.latchkey.server.identity;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where users' upstream identities are kept, tokens sealed. */
public interface IdentityStore {

    Optional<Identity> find(String connection, String subject);

    /**
     * Creates the identity of {@code connection} and {@code subject}, or replaces it while it still belongs to
     * {@code identity.userId()}; false, and nothing written, when another user holds it now (an account link or
     * unlink moved it since its owner was read).
     */
    boolean save(Identity identity);

    List<Identity> ofUser(String userId);

    /** The identities of each of {@code userIds} that has some, in one read (a page of users). */
    Map<String, List<Identity>> ofUsers(Collection<String> userIds);
}
