package dev.latchkey.server.oauth.grant;

import java.time.Instant;
import java.util.Optional;

/** The storage the authorization code grant needs. */
public interface AuthorizationCodeStore {

    void create(AuthorizationCode code);

    /**
     * Marks the code used, atomically: exactly one caller gets {@link Consumed.First}; every later
     * caller gets {@link Consumed.Replayed}. The used row is kept until {@code keepUntil} so that
     * replays are recognised.
     */
    Optional<Consumed> consume(String codeHash, Instant now, Instant keepUntil);

    sealed interface Consumed {
        AuthorizationCode code();

        record First(AuthorizationCode code) implements Consumed {
        }

        record Replayed(AuthorizationCode code) implements Consumed {
        }
    }
}
