package dev.latchkey.server.interaction;

import java.time.Instant;

/**
 * A browser's way through the login and consent pages to an {@link Outcome}. Its id travels in the
 * page URLs ({@code ?state=}) and is stored only as a digest; {@code csrfHash} is the digest of the token
 * every form of this transaction must post, which the browser also holds in a cookie.
 * {@code userId}, {@code authTime} and {@code sid} are set once the user has logged in;
 * {@code network} is where the browser that started it came from ({@link dev.latchkey.server.identity.IpNetwork}).
 */
public record LoginTransaction(
        String idHash,
        Outcome outcome,
        String csrfHash,
        String network,
        String userId,
        Instant authTime,
        String sid,
        Instant createdAt,
        Instant expiresAt) {

    public boolean authenticated() {
        return userId != null;
    }

    /** The same transaction once {@code authentication} logged the user in. */
    public LoginTransaction authenticatedAs(Authentication authentication) {
        return new LoginTransaction(idHash, outcome, csrfHash, network, authentication.userId(),
                authentication.authTime(), authentication.sid(), createdAt, expiresAt);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
