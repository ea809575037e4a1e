package dev.latchkey.server.oauth.grant;

import java.time.Instant;
import java.util.Optional;

/** The storage the authorization code grant needs. */
public interface AuthorizationCodeStore {

    void create(AuthorizationCode code);

    /**
     * Marks the code used, atomically, when it was issued to {@code clientId}: exactly one caller gets
     * {@link Consumed.First}; every later caller gets {@link Consumed.Replayed}. The used row is kept
     * until {@code keepUntil} so that replays are recognised. A code of another client is left alone
     * and answers empty, as an unknown code does.
     */
    Optional<Consumed> consume(String codeHash, String clientId, Instant now, Instant keepUntil);

    sealed interface Consumed {
        AuthorizationCode code();

        record First(AuthorizationCode code) implements Consumed {
        }

        record Replayed(AuthorizationCode code) implements Consumed {
        }
    }
}
