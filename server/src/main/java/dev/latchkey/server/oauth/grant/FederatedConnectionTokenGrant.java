package dev.latchkey.server.oauth.grant;

import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.oauth.AuthenticatedClient;
import dev.latchkey.server.oauth.OAuthException;
import dev.latchkey.server.oauth.TokenRequest;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.token.AuthorizationLookup;
import dev.latchkey.server.token.IssuedAccessToken;
import dev.latchkey.server.token.IssuedTokens;
import dev.latchkey.server.token.RefreshToken;
import dev.latchkey.server.token.FamilySecrets;
import dev.latchkey.server.token.RefreshTokenStore;
import dev.latchkey.server.upstream.IdpTokenVault;

import java.time.Clock;
import java.time.Instant;

/**
 * Auth0 Token Vault's refresh token exchange (built on RFC 8693): a confidential client trades a refresh token of
 * its user for that user's access token at an upstream provider, refreshed at the provider when it has expired
 * ({@link IdpTokenVault}). In this order:
 * <ol>
 *   <li>the client proved its secret (Auth0: IdP tokens never go to public clients, §6) and enabled this grant in
 *       its {@code grant_types};</li>
 *   <li>RFC 8693 §2.1: {@code subject_token}, {@code subject_token_type} (a refresh token, the only kind taken
 *       here), {@code requested_token_type} (Auth0's federated connection access token) and {@code connection};</li>
 *   <li>the refresh token is this client's, unexpired, not yet exchanged, its authorization standing and its user
 *       not blocked; it is only looked at, never rotated nor spent (Auth0: Token Vault does not rotate);</li>
 *   <li>the connection exists, is an upstream one whose strategy the vault refreshes, and is enabled for the
 *       client;</li>
 *   <li>the vault answers the user's token at the connection ({@code login_hint}: which identity).</li>
 * </ol>
 * Auth0's answers: 200 with {@code issued_token_type}; 401 {@code federated_connection_refresh_token_not_found}
 * when the user has no usable tokens there (log in through the connection again); a refused refresh token is
 * 403 {@code invalid_grant} as for the refresh grant; a provider that cannot refresh now, 503.
 */
public final class FederatedConnectionTokenGrant implements Grant {

    public static final String TYPE = "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token";
    public static final String REQUESTED_TOKEN_TYPE = "http://auth0.com/oauth/token-type/federated-connection-access-token";
    static final String REFRESH_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:refresh_token";
    static final String NOT_FOUND = "federated_connection_refresh_token_not_found";
    /** Seconds a client waits before asking again when the provider cannot refresh. */
    static final long RETRY_SECONDS = 5;
    private static final String UNKNOWN = "Unknown or invalid refresh token.";
    private static final Events EVENTS = new Events("sertft", "fertft", "Federated Connection Access Token");

    private final RefreshTokenStore refreshTokens;
    private final FamilySecrets familySecrets;
    private final AuthorizationLookup authorizations;
    private final UserDirectory users;
    private final ConnectionStore connections;
    private final IdpTokenVault vault;
    private final Clock clock;

    public FederatedConnectionTokenGrant(RefreshTokenStore refreshTokens, AuthorizationLookup authorizations,
                                         UserDirectory users, ConnectionStore connections, IdpTokenVault vault,
                                         Clock clock, FamilySecrets familySecrets) {
        this.familySecrets = familySecrets;
        this.refreshTokens = refreshTokens;
        this.authorizations = authorizations;
        this.users = users;
        this.connections = connections;
        this.vault = vault;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Events events() {
        return EVENTS;
    }

    @Override
    public Granted handle(AuthenticatedClient caller, TokenRequest request) {
        Client client = caller.client();
        if (!caller.authenticated()) {
            throw OAuthException.unauthorizedClient("Grant type '" + TYPE + "' is only for confidential clients "
                    + "with a secret.");
        }
        Grant.requireEnabled(client, TYPE);
        String subjectToken = request.required("subject_token");
        String subjectTokenType = request.required("subject_token_type");
        String requested = request.required("requested_token_type");
        String connectionName = request.required("connection");
        if (!REFRESH_TOKEN_TYPE.equals(subjectTokenType)) {
            throw OAuthException.invalidRequest("subject_token_type must be " + REFRESH_TOKEN_TYPE);
        }
        if (!REQUESTED_TOKEN_TYPE.equals(requested)) {
            throw OAuthException.invalidRequest("requested_token_type must be " + REQUESTED_TOKEN_TYPE);
        }
        User user = owner(client, subjectToken);
        Connection connection = (connectionName.length() > 128 ? null
                : connections.findByName(connectionName).orElse(null));
        if (connection == null || !connection.upstream() || !vault.supports(connection)) {
            throw OAuthException.invalidRequest("The connection " + TokenRequest.echo(connectionName)
                    + " does not exist or keeps no identity provider tokens.");
        }
        if (!connection.enabledFor(client.clientId())) {
            throw OAuthException.invalidRequest("The connection " + connection.name()
                    + " is not enabled for this client.");
        }
        IdpTokenVault.Answer answer = vault.accessToken(user.userId(), connection,
                request.param("login_hint").orElse(null));
        if (answer instanceof IdpTokenVault.Answer.Missing missing) {
            throw new OAuthException(NOT_FOUND, missing.description(), 401, null);
        }
        if (answer instanceof IdpTokenVault.Answer.Unavailable unavailable) {
            throw OAuthException.temporarilyUnavailable(unavailable.description(), RETRY_SECONDS);
        }
        IdpTokenVault.Answer.Token token = (IdpTokenVault.Answer.Token) answer;
        return new Granted(IssuedTokens.exchanged(new IssuedAccessToken(token.accessToken(),
                token.expiresIn() == null ? 0 : token.expiresIn(), token.scope() == null ? "" : token.scope()),
                REQUESTED_TOKEN_TYPE), user.userId());
    }

    /** The user of the client's refresh token, when it still stands; looked at only. */
    private User owner(Client client, String value) {
        if (value.length() > RefreshTokenGrant.MAX_TOKEN_LENGTH) {
            throw refused().aboutUnknownCredential();
        }
        Instant now = clock.instant();
        RefreshToken token = refreshTokens.findPresented(familySecrets.present(value))
                .filter(found -> found.clientId().equals(client.clientId()))
                .orElseThrow(() -> refused().aboutUnknownCredential());
        if (token.expired(now) || token.rotatedAt() != null || authorizations.active(token.authorizationId()).isEmpty()) {
            throw refused();
        }
        return users.findById(token.userId()).filter(user -> !user.blocked()).orElseThrow(
                FederatedConnectionTokenGrant::refused);
    }


    private static OAuthException refused() {
        return OAuthException.invalidGrant(UNKNOWN, 403);
    }
}
