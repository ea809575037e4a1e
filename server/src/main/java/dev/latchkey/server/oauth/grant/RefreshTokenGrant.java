package dev.latchkey.server.oauth.grant;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.nimbusds.oauth2.sdk.GrantType;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.oauth.AuthenticatedClient;
import dev.latchkey.server.oauth.OAuthException;
import dev.latchkey.server.oauth.TokenRequest;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.token.Authorization;
import dev.latchkey.server.token.FamilySecrets;
import dev.latchkey.server.token.NewRefreshToken;
import dev.latchkey.server.token.PresentedRefreshToken;
import dev.latchkey.server.token.AuthorizationLookup;
import dev.latchkey.server.token.RefreshToken;
import dev.latchkey.server.token.RefreshTokenStore;
import dev.latchkey.server.token.Revocations;
import dev.latchkey.server.token.TokenIssuer;
import dev.latchkey.server.token.UserTokenRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The refresh token grant (RFC 6749 §6, Auth0 §4.2), in this order:
 * <ol>
 *   <li>the client may use the grant, and names a token it was issued (anything else is unknown);</li>
 *   <li>a rotating token is exchanged once: a second exchange outside the client's {@code leeway}, or
 *       of a token older than the family's previous one, is reuse (RFC 9700 §4.14.2) and revokes the
 *       authorization with its whole family (log {@code ferrt});</li>
 *   <li>the token is within its idle and absolute lifetimes, its authorization still stands, the user
 *       is not blocked, and a public client's token rotates;</li>
 *   <li>a requested scope may narrow the original one, never widen it (RFC 6749 §6);</li>
 *   <li>the issuer issues: an access token, an ID token when {@code openid} was granted (OIDC Core
 *       §12.2), and a successor when the token rotates (or restarts a non-rotating token's idle lifetime).</li>
 * </ol>
 * Auth0 answers a refused refresh token with 403 {@code invalid_grant}.
 */
public final class RefreshTokenGrant implements Grant {

    /** Longest a refresh token value can be; a longer one is unknown without a look-up. */
    static final int MAX_TOKEN_LENGTH = 200;
    static final Duration USER_TTL = Duration.ofSeconds(5);
    private static final String UNKNOWN = "Unknown or invalid refresh token.";
    private static final Events EVENTS = new Events("sertft", "fertft", "Refresh Token for Access Token");

    private final RefreshTokenStore tokens;
    private final AuthorizationLookup authorizations;
    private final RegistryLookups lookups;
    /**
     * Profiles for ID tokens, re-read at most every {@link #USER_TTL}: a block or deletion revokes the
     * user's refresh tokens themselves, so a cached profile never lets a revoked one through.
     */
    private final LoadingCache<String, Optional<User>> users;
    private final TokenIssuer issuer;
    private final Revocations revocations;
    private final Clock clock;
    private final FamilySecrets familySecrets;

    public RefreshTokenGrant(RefreshTokenStore tokens, AuthorizationLookup authorizations, RegistryLookups lookups,
                             UserDirectory users, TokenIssuer issuer, Revocations revocations, Clock clock,
                             FamilySecrets familySecrets) {
        this.tokens = tokens;
        this.authorizations = authorizations;
        this.lookups = lookups;
        this.users = Caffeine.newBuilder().expireAfterWrite(USER_TTL).maximumSize(100_000).build(users::findById);
        this.issuer = issuer;
        this.revocations = revocations;
        this.clock = clock;
        this.familySecrets = familySecrets;
    }

    @Override
    public String type() {
        return GrantType.REFRESH_TOKEN.getValue();
    }

    @Override
    public Events events() {
        return EVENTS;
    }

    @Override
    public Granted handle(AuthenticatedClient caller, TokenRequest request) {
        Client client = caller.client();
        Grant.requireEnabled(client, type());
        String value = request.required("refresh_token");
        if (value.length() > MAX_TOKEN_LENGTH) {
            throw refused(UNKNOWN).aboutUnknownCredential();
        }
        Instant now = clock.instant();
        PresentedRefreshToken presented = familySecrets.present(value);
        // The usual case takes one step; a narrowing needs the token's scope read before anything is spent.
        NewRefreshToken successor = request.scope().isPresent() ? null : issuer.successorOf(presented, client, now);
        RefreshToken exchanged = successor == null ? null : exchange(presented, client, now, successor);
        if (exchanged == null) {
            return presented.familyForm() ? slowPathInPlace(caller, request, presented, now)
                    : slowPath(caller, request, presented.lookupHash(), now);
        }
        return issueAfterExchange(request, client, exchanged,
                presented.familyForm() ? successor.in(exchanged.id()) : successor);
    }

    /**
     * Issues from an exchange that already stored {@code successor}; a refusal then (the authorization, the user
     * or the API gone meanwhile) deletes it, and with it the family's only live token.
     */
    private Granted issueAfterExchange(TokenRequest request, Client client, RefreshToken exchanged,
                                       NewRefreshToken successor) {
        try {
            return issue(request, client, exchanged, successor);
        } catch (OAuthException refused) {
            tokens.delete(successor.id());
            throw refused;
        }
    }

    private RefreshToken exchange(PresentedRefreshToken presented, Client client, Instant now,
                                  NewRefreshToken successor) {
        return (presented.familyForm()
                ? tokens.exchangeInPlace(presented, client.clientId(), now, successor)
                : tokens.exchange(presented.lookupHash(), client.clientId(), now, now.plus(RefreshToken.REUSE_MEMORY),
                        successor)).orElse(null);
    }

    /**
     * A family-form token the one-step exchange did not take: unknown, another client's, the previous token
     * (within the leeway: a token of its own in the family; after it: reuse), an older one (reuse), or the live
     * token that is expired, not rotating, or asked to narrow its scope.
     */
    private Granted slowPathInPlace(AuthenticatedClient caller, TokenRequest request, PresentedRefreshToken presented,
                                    Instant now) {
        Client client = caller.client();
        RefreshToken token = tokens.find(presented.lookupHash())
                .filter(found -> found.clientId().equals(client.clientId()))
                .orElseThrow(() -> refused(UNKNOWN).aboutUnknownCredential());
        PresentedRefreshToken.Match match = presented.against(token);
        if (match == PresentedRefreshToken.Match.UNRELATED
                || (match != PresentedRefreshToken.Match.CURRENT && !token.rotating())) {
            // Auth0 §4.2: once rotation is turned off, the family's earlier tokens are revoked, not reused.
            throw refused(UNKNOWN).aboutUnknownCredential();
        }
        boolean previousWithinLeeway = match == PresentedRefreshToken.Match.PREVIOUS && withinLeeway(token, client, now);
        if (match != PresentedRefreshToken.Match.CURRENT && !previousWithinLeeway) {
            // Reuse is detected first, whatever else is wrong with the request (RFC 9700 §4.14.2, Auth0 §4.2).
            throw reused(token);
        }
        if (token.expired(now)) {
            throw refused(UNKNOWN + " It has expired.");
        }
        if (!caller.authenticated() && !token.rotating()) {
            throw refused("A public client's refresh tokens must rotate: enable rotation for the application.");
        }
        narrowed(request, token.scopes());
        if (previousWithinLeeway || !token.rotating()) {
            // Within the leeway the previous token gets a successor of its own in the family, so that the
            // token the last exchange gave out stays good too; a non-rotating token is kept.
            return issue(request, client, token, null);
        }
        NewRefreshToken successor = issuer.successorOf(presented, client, now);
        RefreshToken exchanged = tokens.exchangeInPlace(presented, client.clientId(), now, successor).orElse(null);
        if (exchanged == null) {
            // Another exchange of the same token came first: within the leeway this one gets a token of its
            // own, as in the row form; otherwise it is a reuse.
            RefreshToken after = tokens.find(presented.lookupHash()).orElseThrow(() -> refused(UNKNOWN));
            if (presented.against(after) == PresentedRefreshToken.Match.PREVIOUS && withinLeeway(after, client, now)) {
                return issue(request, client, after, null);
            }
            throw reused(token);
        }
        return issueAfterExchange(request, client, exchanged, successor.in(exchanged.id()));
    }

    private static boolean withinLeeway(RefreshToken token, Client client, Instant now) {
        int leeway = client.refreshToken().leeway();
        return leeway > 0 && token.lastUsedAt() != null && now.isBefore(token.lastUsedAt().plusSeconds(leeway));
    }

    private OAuthException reused(RefreshToken token) {
        // Auth0 §4.2: reuse revokes the family and the grant until the user logs in again.
        revocations.authorization(token.authorizationId());
        return refused(UNKNOWN + " It was already used.").loggedAs("ferrt");
    }

    /** Whatever the one-step exchange did not take: unknown, expired, reused, within leeway, not rotating. */
    private Granted slowPath(AuthenticatedClient caller, TokenRequest request, String hash, Instant now) {
        Client client = caller.client();
        RefreshToken token = tokens.find(hash)
                .filter(found -> found.clientId().equals(client.clientId()) && !found.familyForm())
                .orElseThrow(() -> refused(UNKNOWN).aboutUnknownCredential());
        if (token.rotatedAt() != null) {
            // Reuse is detected first, whatever else is wrong with the request.
            token = rotate(token, now, client);
        }
        if (token.expired(now)) {
            throw refused(UNKNOWN + " It has expired.");
        }
        if (!caller.authenticated() && !token.rotating()) {
            // RFC 9700 §4.14.2: a public client's refresh tokens must rotate.
            throw refused("A public client's refresh tokens must rotate: enable rotation for the application.");
        }
        narrowed(request, token.scopes());
        if (token.rotating() && token.rotatedAt() == null) {
            token = rotate(token, now, client);
        }
        return issue(request, client, token, null);
    }

    private Granted issue(TokenRequest request, Client client, RefreshToken token, NewRefreshToken successor) {
        Authorization authorization = authorizations.active(token.authorizationId())
                .orElseThrow(() -> refused(UNKNOWN));
        User user = this.users.get(token.userId()).filter(u -> !u.blocked())
                .orElseThrow(() -> refused(UNKNOWN));
        ResourceServer api = null;
        if (token.audience() != null) {
            api = lookups.api(token.audience()).orElseThrow(() -> refused(UNKNOWN));
        }
        List<String> scopes = narrowed(request, token.scopes());
        UserTokenRequest issue = new UserTokenRequest(authorization.withScopes(scopes), client, api, user,
                UserTokenRequest.Channel.REFRESH, true, scopes.contains("openid"), null, null, token, successor, null);
        return new Granted(issuer.forUser(issue), user.userId());
    }

    private RefreshToken rotate(RefreshToken token, Instant now, Client client) {
        RefreshTokenStore.Exchange exchange = tokens.rotate(token, now, client.refreshToken().leeway(),
                now.plus(RefreshToken.REUSE_MEMORY));
        if (exchange instanceof RefreshTokenStore.Exchange.Reused) {
            throw reused(token);
        }
        return exchange.token();
    }

    /** RFC 6749 §6: the requested scope must not include any scope not originally granted. */
    private static List<String> narrowed(TokenRequest request, List<String> granted) {
        List<String> asked = request.scope().orElse(null);
        if (asked == null) {
            return granted;
        }
        List<String> wider = asked.stream().filter(scope -> !granted.contains(scope)).toList();
        if (!wider.isEmpty()) {
            throw OAuthException.invalidScope("The refresh token was not granted: "
                    + TokenRequest.echo(String.join(" ", wider)));
        }
        return asked;
    }

    private static OAuthException refused(String description) {
        return OAuthException.invalidGrant(description, 403);
    }
}
