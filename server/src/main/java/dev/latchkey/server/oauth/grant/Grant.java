package dev.latchkey.server.oauth.grant;

import dev.latchkey.server.oauth.AuthenticatedClient;

import java.util.Map;

/** One OAuth grant type at the token endpoint: validate the request, then issue. */
public interface Grant {

    /** The {@code grant_type} value this grant answers to. */
    String type();

    TokenResponse handle(AuthenticatedClient client, Map<String, String> params);
}
