package dev.latchkey.server.identity;

import java.util.Optional;

/** The users the login page and the token endpoint consult. */
public interface UserDirectory {
    String DEFAULT_CONNECTION = "Username-Password-Authentication";

    Optional<User> findById(String userId);

    Optional<User> findByEmail(String connection, String email);

    LoginResult login(String connection, String email, String password, String ipAddress);
}
