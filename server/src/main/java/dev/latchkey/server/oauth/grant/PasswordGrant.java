package dev.latchkey.server.oauth.grant;

import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.identity.LoginAttempt;
import dev.latchkey.server.identity.LoginResult;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.oauth.AuthenticatedClient;
import dev.latchkey.server.oauth.OAuthException;
import dev.latchkey.server.oauth.TokenRequest;
import dev.latchkey.server.oauth.UserTokenScopes;
import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.token.Authorization;
import dev.latchkey.server.token.TokenIssuer;
import dev.latchkey.server.token.UserTokenRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The resource owner password credentials grants (RFC 6749 §4.3, Auth0 §1.4): {@code password}, which
 * signs users in through the tenant's {@code default_directory} (or a {@code realm} when one is sent), and
 * Auth0's {@code password-realm}, which names the connection in {@code realm}. In this order:
 * <ol>
 *   <li>the client may use this grant (its {@code grant_types});</li>
 *   <li>{@code username} and {@code password} are there, no longer than any account's can be;</li>
 *   <li>the connection is a database connection: the realm, or the default directory (Auth0 refuses the
 *       plain grant when the tenant has none);</li>
 *   <li>the audience, when sent, is a registered API or /userinfo's;</li>
 *   <li>the user directory checks the password under the login page's brute-force protection, counted
 *       against the end user's address (the token endpoint takes it from a trusted client's
 *       {@code auth0-forwarded-for});</li>
 *   <li>the issuer records an authorization and issues, as for a code: RBAC, an ID token with
 *       {@code openid}, a refresh token with {@code offline_access}.</li>
 * </ol>
 * Auth0's answers: 403 {@code invalid_grant} "Wrong email or password.", 401 {@code unauthorized}
 * "user is blocked", 429 {@code too_many_attempts}.
 */
public final class PasswordGrant implements Grant {

    public static final String PASSWORD = "password";
    public static final String PASSWORD_REALM = "http://auth0.com/oauth/grant-type/password-realm";
    static final String WRONG_CREDENTIALS = "Wrong email or password.";
    static final String TOO_MANY_ATTEMPTS = "Too many failed login attempts. Wait a while and try again, or ask an "
            + "administrator to unblock the account.";
    /** How long a client waits when every password-hashing slot is busy. */
    static final long BUSY_RETRY_SECONDS = 5;
    private static final Events EVENTS = new Events("sepft", "fepft", "Password for Access Token");

    private final String type;
    private final String userinfoAudience;
    private final RegistryLookups lookups;
    private final ConnectionStore connections;
    private final UserDirectory users;
    private final TokenIssuer issuer;
    private final Clock clock;

    private PasswordGrant(String type, String userinfoAudience, RegistryLookups lookups, ConnectionStore connections,
                          UserDirectory users, TokenIssuer issuer, Clock clock) {
        this.type = type;
        this.userinfoAudience = userinfoAudience;
        this.lookups = lookups;
        this.connections = connections;
        this.users = users;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** RFC 6749 §4.3: {@code grant_type=password}, through the realm sent or the tenant's default directory. */
    public static PasswordGrant password(String userinfoAudience, RegistryLookups lookups, ConnectionStore connections,
                                         UserDirectory users, TokenIssuer issuer, Clock clock) {
        return new PasswordGrant(PASSWORD, userinfoAudience, lookups, connections, users, issuer, clock);
    }

    /** Auth0's password-realm grant: as {@code password}, through the connection named by {@code realm}. */
    public static PasswordGrant realm(String userinfoAudience, RegistryLookups lookups, ConnectionStore connections,
                                      UserDirectory users, TokenIssuer issuer, Clock clock) {
        return new PasswordGrant(PASSWORD_REALM, userinfoAudience, lookups, connections, users, issuer, clock);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Events events() {
        return EVENTS;
    }

    @Override
    public Granted handle(AuthenticatedClient caller, TokenRequest request) {
        Client client = caller.client();
        Grant.requireEnabled(client, type);
        String username = request.required("username");
        String password = request.required("password");
        if (username.length() > LoginAttempt.MAX_EMAIL_LENGTH) {
            throw OAuthException.invalidRequest("username is longer than " + LoginAttempt.MAX_EMAIL_LENGTH
                    + " characters");
        }
        if (password.length() > LoginAttempt.MAX_PASSWORD_LENGTH) {
            throw OAuthException.invalidRequest("password is longer than " + LoginAttempt.MAX_PASSWORD_LENGTH
                    + " characters");
        }
        Connection connection = connection(request);
        if (!connection.enabledFor(client.clientId())) {
            // Auth0: a connection serves only the applications it is enabled for.
            throw OAuthException.invalidRequest("the connection is not enabled for this client: "
                    + TokenRequest.echo(connection.name()));
        }
        ResourceServer api = api(request);
        LoginResult result = users.login(new LoginAttempt(connection.name(), username, password, request.clientIp(),
                client.clientId(), client.name(), request.header("user-agent").orElse(null)));
        User user = signedIn(result);
        List<String> scopes = scopes(request, api);
        Instant now = clock.instant();
        Authorization authorization = issuer.authorize(user.userId(), client, api, scopes, null, now, null);
        return new Granted(issuer.forUser(new UserTokenRequest(authorization, client, api, user,
                UserTokenRequest.Channel.TOKEN_ENDPOINT, true, scopes.contains("openid"), null, null, null,
                null, TokenIssuer.PASSWORD_GTY)), user.userId());
    }

    /** The user of a successful login; every other outcome as Auth0 answers it. */
    private User signedIn(LoginResult result) {
        if (result instanceof LoginResult.Success success) {
            return success.user();
        }
        if (result instanceof LoginResult.UserBlocked) {
            throw OAuthException.unauthorized("user is blocked");
        }
        if (result instanceof LoginResult.TooManyAttempts tooMany) {
            // RFC 9110 §10.2.3: Retry-After in seconds, until the block or delay lapses on its own.
            throw OAuthException.tooManyAttempts(TOO_MANY_ATTEMPTS,
                    Math.max(1, Duration.between(clock.instant(), tooMany.until()).toSeconds()));
        }
        if (result instanceof LoginResult.Unavailable) {
            throw OAuthException.temporarilyUnavailable("Too many logins right now; try again in a few seconds.",
                    BUSY_RETRY_SECONDS);
        }
        // Unknown user or wrong password: one answer, so that the caller cannot tell which.
        throw OAuthException.invalidGrant(WRONG_CREDENTIALS, 403);
    }

    /** The realm's database connection, or the tenant's default directory for the plain grant (Auth0 §1.4). */
    private Connection connection(TokenRequest request) {
        String name;
        if (type.equals(PASSWORD_REALM)) {
            name = request.required("realm");
        } else {
            // The Auth0 Java SDK's login(...).setRealm(...) sends a realm with the plain grant: it is honoured.
            name = request.param("realm").or(() -> lookups.tenant().defaultDirectory()).orElseThrow(() ->
                    OAuthException.invalidRequest("Authorization server not configured with default connection: "
                            + "set default_directory in the tenant settings, or send a realm."));
        }
        return connections.findByName(name)
                .filter(found -> Connection.DATABASE_STRATEGY.equals(found.strategy()))
                .orElseThrow(() -> OAuthException.invalidRequest("invalid connection specified for password grant: "
                        + TokenRequest.echo(name)));
    }

    /**
     * The API named by {@code audience}, else by the tenant's default_audience; none without either or for
     * /userinfo (an opaque token, Auth0 §1.2).
     */
    private ResourceServer api(TokenRequest request) {
        return request.param("audience").filter(audience -> !audience.isBlank())
                .or(() -> lookups.tenant().defaultAudience())
                .filter(audience -> !audience.equals(userinfoAudience))
                .map(audience -> lookups.api(audience).orElseThrow(() -> OAuthException.accessDenied(
                        "Service not enabled within domain: " + TokenRequest.echo(audience))))
                .orElse(null);
    }

    /**
     * Auth0 §1.4 (ROPG): the scopes a user token may carry ({@link UserTokenScopes}); every scope of the API
     * when none of its scopes is asked for, and every standard OIDC scope when only {@code openid} is. RBAC
     * then narrows the API's scopes to those the user holds, at issue.
     */
    private static List<String> scopes(TokenRequest request, ResourceServer api) {
        List<String> kept = new ArrayList<>(request.param("scope")
                .map(scope -> UserTokenScopes.kept(scope, api)).orElse(List.of()));
        if (kept.equals(List.of("openid"))) {
            kept = new ArrayList<>(UserTokenScopes.OIDC_SCOPES);
        }
        List<String> apiScopes = api == null || api.system() ? List.of()
                : api.scopes().stream().map(ApiScope::value).toList();
        if (kept.stream().noneMatch(apiScopes::contains)) {
            kept.addAll(apiScopes);
        }
        return List.copyOf(kept);
    }

}
