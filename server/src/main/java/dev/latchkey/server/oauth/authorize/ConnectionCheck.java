package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.identity.Connection;

import java.util.Optional;
import java.util.function.Function;

// Rules: Auth0 `connection` names the connection to log in through, skipping the login page for an upstream
//        provider; it must exist and be enabled for the client (a disabled or unknown one is invalid_request,
//        not a silent fall back to the login page); at most 128 characters, like a connection's name.
final class ConnectionCheck implements AuthorizeCheck {

    private final Function<String, Optional<Connection>> connections;

    ConnectionCheck(Function<String, Optional<Connection>> connections) {
        this.connections = connections;
    }

    @Override
    public void check(AuthorizeContext context) {
        String name = context.param("connection");
        if (name == null) {
            return;
        }
        Connection connection = (name.length() > 128 ? Optional.<Connection>empty() : connections.apply(name))
                .orElseThrow(() -> AuthorizeException.invalidRequest("the connection was not found"));
        if (!connection.enabledFor(context.client().clientId())) {
            throw AuthorizeException.invalidRequest("the connection is not enabled for this client");
        }
        context.connection = connection;
    }
}
