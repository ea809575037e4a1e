package dev.latchkey.server.interaction;

import dev.latchkey.server.identity.User;

import java.util.Optional;

/**
 * What the browser brings to a transaction: who is logged in, if anyone (with the user as the caller
 * has just read them, when it has), and the user's answer on the consent page, if they gave one.
 */
public record SessionState(Optional<Authentication> authentication, Optional<User> user, ConsentAnswer consent) {

    public enum ConsentAnswer { NONE, ACCEPTED, DECLINED }

    /** Who the SSO session says is logged in, if anyone; the user is read when needed. */
    public static SessionState of(Optional<Authentication> authentication) {
        return new SessionState(authentication, Optional.empty(), ConsentAnswer.NONE);
    }

    /** {@code user}, logged in as {@code authentication} and just read by the caller. */
    public static SessionState loggedIn(Authentication authentication, User user) {
        return new SessionState(Optional.of(authentication), Optional.of(user), ConsentAnswer.NONE);
    }

    public SessionState answering(ConsentAnswer answer) {
        return new SessionState(authentication, user, answer);
    }
}
