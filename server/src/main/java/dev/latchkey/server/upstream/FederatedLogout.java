package dev.latchkey.server.upstream;

import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.identity.UpstreamSignIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Optional;

/**
 * The upstream half of a federated logout (Auth0's {@code ?federated}): where the browser goes to end its session
 * at the provider it logged in through, after Latchkey's own session has ended.
 * <p>Rules:
 * <ul>
 *   <li>Auth0: only a session that came from an upstream login is logged out there; for any other,
 *       {@code federated} changes nothing.</li>
 *   <li>OIDC RP-Initiated Logout 1.0 §2: an {@code oidc} connection whose provider advertises
 *       {@code end_session_endpoint}, with the login's ID token as {@code id_token_hint} and our
 *       {@code client_id}; §3: {@code post_logout_redirect_uri} is the application's return address, already
 *       checked against its Allowed Logout URLs (the provider checks its own list).</li>
 *   <li>A connection deleted since, or a provider that cannot be read now, leaves the logout as without
 *       {@code federated}: Latchkey's session is over either way.</li>
 * </ul>
 */
public final class FederatedLogout {

    private static final Logger LOG = LoggerFactory.getLogger(FederatedLogout.class);

    private final ConnectionStore connections;
    private final OidcUpstream oidc;

    public FederatedLogout(ConnectionStore connections, OidcUpstream oidc) {
        this.connections = connections;
        this.oidc = oidc;
    }

    /** The provider's logout for the session's upstream login ({@code signIn}, may be null), if there is one. */
    public Optional<URI> at(UpstreamSignIn signIn, URI returnTo, String state) {
        if (signIn == null) {
            return Optional.empty();
        }
        Optional<Connection> connection = connections.findByName(signIn.connection())
                .filter(c -> Connection.OIDC_STRATEGY.equals(c.strategy()));
        if (connection.isEmpty()) {
            return Optional.empty();
        }
        try {
            return oidc.endSession(connection.get(), signIn.idToken(), returnTo, state);
        } catch (UpstreamException e) {
            LOG.warn("Federated logout through connection {} skipped: {}", signIn.connection(), e.getMessage());
            return Optional.empty();
        }
    }
}
