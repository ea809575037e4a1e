package dev.latchkey.server.identity;

import java.util.Optional;

/** The users the login page and the token endpoint consult. */
public interface UserDirectory {

    /** Auth0's default database connection. */
    String DEFAULT_CONNECTION = "Username-Password-Authentication";

    Optional<User> findById(String userId);

    /** Emails are matched case-insensitively. */
    Optional<User> findByEmail(String connection, String email);

    /**
     * Verifies the password (Argon2id, or an imported bcrypt hash then re-hashed), counts failures per
     * user+IP, updates last_login/logins_count on success, writes log events.
     */
    default LoginResult login(String connection, String email, String password, String ipAddress) {
        return login(new LoginAttempt(connection, email, password, ipAddress));
    }

    /** As {@link #login(String, String, String, String)}, with the client named in the log events. */
    LoginResult login(LoginAttempt attempt);
}
