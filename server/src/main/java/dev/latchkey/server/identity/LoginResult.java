package dev.latchkey.server.identity;

import java.time.Instant;

/** What a login attempt came to. */
public sealed interface LoginResult {
    record Success(User user) implements LoginResult {}
    record WrongCredentials() implements LoginResult {}
    record UserBlocked() implements LoginResult {}
    record TooManyAttempts(Instant until) implements LoginResult {}
}
