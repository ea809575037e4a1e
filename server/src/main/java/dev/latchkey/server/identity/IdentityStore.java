package dev.latchkey.server.identity;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where users' upstream identities are kept, tokens sealed. */
public interface IdentityStore {

    Optional<Identity> find(String connection, String subject);

    /** Creates or replaces the identity of {@code connection} and {@code subject}. */
    void save(Identity identity);

    List<Identity> ofUser(String userId);

    /** The identities of each of {@code userIds} that has some, in one read (a page of users). */
    Map<String, List<Identity>> ofUsers(Collection<String> userIds);
}
