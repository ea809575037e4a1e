package dev.latchkey.server.token;

import dev.latchkey.server.identity.User;
import dev.latchkey.server.registry.Client;

import java.time.Instant;
import java.util.List;

/**
 * What an ID token says (OIDC Core §2): for whom, to which client, the login's time and session,
 * the nonce, the access token and code it travels with (for {@code at_hash}/{@code c_hash};
 * null when absent or not required), and the {@code acr} to report (null when none was asked for).
 */
public record IdTokenRequest(Client client, User user, List<String> scopes, String nonce, Instant authTime,
                             String sid, String accessToken, String code, String acr) {

    public IdTokenRequest {
        scopes = List.copyOf(scopes);
    }

    /** An ID token without {@code acr}. */
    public IdTokenRequest(Client client, User user, List<String> scopes, String nonce, Instant authTime,
                          String sid, String accessToken, String code) {
        this(client, user, scopes, nonce, authTime, sid, accessToken, code, null);
    }
}
