package dev.latchkey.server.oauth.grant;

import dev.latchkey.server.oauth.AuthenticatedClient;
import dev.latchkey.server.oauth.OAuthException;
import dev.latchkey.server.oauth.TokenRequest;
import dev.latchkey.server.registry.Client;

/**
 * One OAuth grant type at the token endpoint: validate the request into an authorization, then have
 * the token issuer issue. Grants throw {@code OAuthException} for every refusal; the endpoint logs
 * and counts both outcomes with the grant's {@link Events}.
 */
public interface Grant {

    /** The {@code grant_type} value this grant answers to. */
    String type();

    /** Auth0's log event types for this grant's successes and failures. */
    Events events();

    Granted handle(AuthenticatedClient client, TokenRequest request);

    record Events(String success, String failure, String description) {
    }

    /** RFC 6749 §5.2 {@code unauthorized_client}, in Auth0's words, unless {@code client} enabled {@code type}. */
    static void requireEnabled(Client client, String type) {
        if (!client.allowsGrant(type)) {
            throw OAuthException.unauthorizedClient("Grant type '" + type + "' not allowed for the client.");
        }
    }
}
