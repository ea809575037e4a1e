package dev.latchkey.server.identity;

import java.util.Map;

/**
 * A user to create. Exactly one of {@code password} (checked against the policy, then hashed) and
 * {@code passwordHash} (an imported bcrypt hash) is given. {@code id} is the part after
 * {@code auth0|}, generated when null. Null names and picture get Auth0's defaults; {@code phone}
 * and {@code address} may be null.
 */
public record NewUser(String connection, String id, String email, boolean emailVerified, String password,
                      String passwordHash, String name, String givenName, String familyName, String nickname,
                      String picture, Map<String, Object> userMetadata, Map<String, Object> appMetadata,
                      boolean blocked, Phone phone, PostalAddress address) {

    @Override
    public String toString() {
        return "NewUser[connection=" + connection + ", email=" + email + "]";
    }
}
