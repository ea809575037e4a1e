package dev.latchkey.server.identity;

import java.time.Instant;

/** What a login attempt came to. */
public sealed interface LoginResult {

    /** The password was right and the user may sign in; {@code user} reflects this login. */
    record Success(User user) implements LoginResult {
    }

    /** Unknown email OR wrong password: the same answer, so a caller cannot tell which. */
    record WrongCredentials() implements LoginResult {
    }

    /** The password was right but an administrator blocked the user ({@code blocked: true}). */
    record UserBlocked() implements LoginResult {
    }

    /**
     * Brute-force protection tripped: too many failures for this account from this IP, or from this
     * IP across accounts. {@code until} is when the block lapses on its own; an unblock through the
     * Management API ({@code DELETE /api/v2/user-blocks/{id}}) or a password change ends it sooner.
     */
    record TooManyAttempts(Instant until) implements LoginResult {
    }

    /** The password could not be checked now (every hashing slot busy): try again shortly. */
    record Unavailable() implements LoginResult {
    }
}
