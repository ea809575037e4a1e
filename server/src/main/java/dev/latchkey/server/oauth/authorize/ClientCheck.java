package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.registry.RegistryLookups;

// Rules: client_id is present, once, and names a registered application (RFC 6749 §4.1.1, §3.1).
//        An unknown client is shown an error page and never redirected to (RFC 6749 §4.1.2.1).
//        Machine-to-machine applications have no users to log in (Auth0: non_interactive).
final class ClientCheck implements AuthorizeCheck {

    private final RegistryLookups lookups;

    ClientCheck(RegistryLookups lookups) {
        this.lookups = lookups;
    }

    @Override
    public void check(AuthorizeContext context) {
        String clientId = context.param("client_id");
        if (clientId == null) {
            throw AuthorizeException.page("invalid_request", "Missing required parameter: client_id");
        }
        if (context.repeated("client_id")) {
            throw AuthorizeException.page("invalid_request", "Parameter client_id is repeated");
        }
        if (clientId.length() > RegistryLookups.MAX_CLIENT_ID_LENGTH) {
            throw AuthorizeException.page("invalid_request", "Unknown client: the client_id is too long");
        }
        context.client = lookups.client(clientId).orElseThrow(() ->
                AuthorizeException.page("invalid_request", "Unknown client: " + clientId));
    }
}
