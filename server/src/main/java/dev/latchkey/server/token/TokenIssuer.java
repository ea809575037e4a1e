package dev.latchkey.server.token;

import dev.latchkey.server.Rollout;
import dev.latchkey.server.rbac.RbacGrant;
import dev.latchkey.server.rbac.RbacPolicy;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientGrant;
import dev.latchkey.server.registry.RefreshTokenSettings;
import dev.latchkey.server.registry.ResourceServer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Mints every token Latchkey gives out, for every grant and for /authorize. The flows decide what
 * (an authorization: who, which client, which API, which scopes); this class decides how: the
 * format by audience (a JWT for a registered API, an opaque token for /userinfo, Auth0 §1.2), the
 * signer by API or client, the lifetimes (Auth0 §4), and whether a refresh token comes along
 * (Auth0 §1.4, §4.2).
 */
public final class TokenIssuer {

    /** Auth0's {@code gty} for machine-to-machine tokens, as its published tokens spell it. */
    public static final String CLIENT_CREDENTIALS_GTY = "client-credentials";
    /** Auth0's {@code gty} for tokens of the password grants (both), as its published tokens spell it. */
    public static final String PASSWORD_GTY = "password";
    /** Auth0: at most 200 active refresh tokens per user and application; the oldest go first. */
    public static final int MAX_REFRESH_FAMILIES = 200;
    /** A code may be exchanged this long after its authorization was recorded (and more, generously). */
    static final int CODE_EXCHANGE_MARGIN = 300;
    static final Duration EXTENSION_SLACK = Duration.ofDays(1);

    private final JwtAccessTokenFormat jwt;
    private final OpaqueAccessTokenFormat opaque;
    private final IdTokenFormat idTokens;
    private final AuthorizationStore authorizations;
    private final RefreshTokenStore refreshTokens;
    private final RbacPolicy rbac;
    private final Clock clock;
    private final Rollout forms;
    private final FamilySecrets familySecrets;

    public TokenIssuer(JwtAccessTokenFormat jwt, OpaqueAccessTokenFormat opaque, IdTokenFormat idTokens,
                       AuthorizationStore authorizations, RefreshTokenStore refreshTokens, RbacPolicy rbac,
                       Clock clock, Rollout forms, FamilySecrets familySecrets) {
        this.jwt = jwt;
        this.opaque = opaque;
        this.idTokens = idTokens;
        this.authorizations = authorizations;
        this.refreshTokens = refreshTokens;
        this.rbac = rbac;
        this.clock = clock;
        this.forms = forms;
        this.familySecrets = familySecrets;
    }

    /**
     * RFC 6749 §4.4: a JWT for the API, hanging from the client grant (its id leads the {@code jti}),
     * so that nothing is written per token. The {@code *_authz} dialects list the scopes as permissions.
     */
    public IssuedAccessToken forClient(Client client, ResourceServer api, ClientGrant grant, List<String> scopes) {
        return jwt.issue(new AccessTokenRequest(api, client.clientId() + "@clients", client.clientId(), scopes,
                scopes, CLIENT_CREDENTIALS_GTY, false, api.tokenLifetime(), grant.id()));
    }

    /**
     * Records what a user allowed a client; the authorization's id names everything issued from it.
     * It is kept as long as the longest-lived token a flow can issue from it before a refresh token
     * extends it.
     */
    public Authorization authorize(String userId, Client client, ResourceServer api, List<String> scopes, String sid,
                                   Instant authTime, String acr) {
        Instant now = clock.instant();
        int lifetime = Math.max(api == null ? OpaqueAccessTokenFormat.CODE_LIFETIME : api.tokenLifetime(),
                api == null ? 0 : api.tokenLifetimeForWeb()) + CODE_EXCHANGE_MARGIN;
        Authorization authorization = new Authorization(Authorization.newId(), userId, client.clientId(),
                api == null ? null : api.identifier(), scopes, sid, authTime, acr, now, now.plusSeconds(lifetime));
        authorizations.create(authorization);
        return authorization;
    }

    public IssuedTokens forUser(UserTokenRequest request) {
        IssuedAccessToken accessToken = request.accessToken() ? accessToken(request) : null;
        String idToken = null;
        if (request.idToken()) {
            Authorization authorization = request.authorization();
            // OIDC Core §3.3.2.11 / §3.2.2.10: at_hash and c_hash for what travels with the ID token;
            // §12.2: an ID token from a refresh keeps the login's auth_time and carries no nonce.
            idToken = idTokens.issue(new IdTokenRequest(request.client(), request.user(), authorization.scopes(),
                    request.nonce(), authorization.authTime(), authorization.sid(),
                    accessToken == null ? null : accessToken.value(), request.code(), authorization.acr()));
        }
        return new IssuedTokens(accessToken, idToken, refreshToken(request, accessToken));
    }

    private IssuedAccessToken accessToken(UserTokenRequest request) {
        Authorization authorization = request.authorization();
        ResourceServer api = request.api();
        if (api == null) {
            // Auth0: 7200 s from the implicit flow, 86400 s from code and hybrid; not configurable.
            int lifetime = request.channel() == UserTokenRequest.Channel.IMPLICIT
                    ? OpaqueAccessTokenFormat.IMPLICIT_LIFETIME : OpaqueAccessTokenFormat.CODE_LIFETIME;
            return opaque.issue(authorization, lifetime);
        }
        // Auth0: token_lifetime at the token endpoint, token_lifetime_for_web in the browser; gty only
        // where the flow names one (the password grant); with openid the token is good at /userinfo too.
        int lifetime = request.channel().front() ? api.tokenLifetimeForWeb() : api.tokenLifetime();
        // Auth0 §2.2: with RBAC the API's scopes are those the user holds now, and the *_authz
        // dialects list every permission held; read at each issue, so a removed role changes the next
        // token (a refresh included) and no older one.
        RbacGrant held = rbac.decide(authorization.userId(), api, authorization.scopes());
        return jwt.issue(new AccessTokenRequest(api, authorization.userId(), authorization.clientId(),
                held.scopes(), held.permissions(), request.gty(), held.scopes().contains("openid"), lifetime,
                authorization.id()));
    }

    /**
     * Auth0 §1.4: a new refresh token for {@code offline_access} when the API allows offline access
     * (or there is no API), the client has the refresh_token grant, and, for a public client, its
     * tokens rotate (RFC 9700 §4.14.2). An exchanged rotating token gets a successor in its family,
     * with the family's absolute expiry (Auth0 §4.2); a non-rotating one is kept, with no new token.
     */
    private String refreshToken(UserTokenRequest request, IssuedAccessToken accessToken) {
        Instant now = clock.instant();
        RefreshToken previous = request.previous();
        Client client = request.client();
        Authorization authorization = request.authorization();
        RefreshTokenSettings settings = client.refreshToken();
        String familyId;
        Instant absolute;
        List<String> scopes;
        if (previous != null && !previous.rotating() && settings.rotating()) {
            // Auth0 §4.2, rotation turned on: a rotating token in a family of its own replaces every
            // non-rotating token of the user for this client and API.
            refreshTokens.deleteNonRotating(previous.userId(), previous.clientId(), previous.audience());
            familyId = null;
            absolute = settings.absoluteLifetime().map(now::plus).orElse(null);
            scopes = previous.scopes();
        } else if (previous != null) {
            if (!previous.rotating()) {
                keepUsing(previous, settings, authorization, accessToken, now);
                return null;
            }
            if (!settings.rotating()) {
                // Auth0 §4.2, rotation turned off: the successor does not rotate, and the rest of the
                // rotating family is revoked.
                refreshTokens.deleteFamily(previous.familyId(),
                        request.successor() == null ? null : request.successor().id());
            }
            if (request.successor() != null) {
                // The exchange stored it already, with the family's absolute expiry.
                Instant validUntil = RefreshToken.earliest(request.successor().idleExpiresAt(),
                        previous.absoluteExpiresAt());
                extend(authorization, validUntil, accessToken, now);
                return request.successor().value();
            }
            familyId = previous.familyId();
            absolute = previous.absoluteExpiresAt();
            // RFC 6749 §6: the new refresh token has the scope of the one exchanged.
            scopes = previous.scopes();
        } else {
            if (request.channel() != UserTokenRequest.Channel.TOKEN_ENDPOINT || !offlineAllowed(request)) {
                return null;
            }
            familyId = null;
            absolute = settings.absoluteLifetime().map(now::plus).orElse(null);
            scopes = authorization.scopes();
        }
        NewRefreshToken token = newRefreshToken(client, now);
        refreshTokens.create(new RefreshToken(token.id(), token.tokenHash(), familyId == null ? token.id() : familyId,
                authorization.id(), authorization.clientId(), authorization.userId(), authorization.audience(), scopes,
                authorization.sid(), token.rotating(), now, null, null, token.idleExpiresAt(), absolute,
                token.familyForm() ? RefreshToken.keptUntilInPlace(token.idleExpiresAt(), absolute)
                        : RefreshToken.keptUntil(token.rotating(), token.idleExpiresAt(), absolute),
                token.currentHash(), null, token.generation()),
                MAX_REFRESH_FAMILIES);
        extend(authorization, RefreshToken.earliest(token.idleExpiresAt(), absolute), accessToken, now);
        return token.value();
    }

    /**
     * A refresh token for the client issued now, under its current settings (Auth0 §4.2): a rotating one in the
     * family form once every node reads it, anything else in the row form.
     */
    private NewRefreshToken newRefreshToken(Client client, Instant now) {
        RefreshTokenSettings settings = client.refreshToken();
        Instant idle = settings.idleLifetime().map(now::plus).orElse(null);
        return settings.rotating() && forms.newFormsReadEverywhere()
                ? NewRefreshToken.startFamily(familySecrets, true, idle)
                : NewRefreshToken.generate(settings.rotating(), idle);
    }

    /**
     * The token that replaces {@code presented} when it is exchanged now: the next of its family-form row, in
     * place, or a token of its own as {@link #newRefreshToken} makes them.
     */
    public NewRefreshToken successorOf(PresentedRefreshToken presented, Client client, Instant now) {
        if (!presented.familyForm()) {
            return newRefreshToken(client, now);
        }
        RefreshTokenSettings settings = client.refreshToken();
        return NewRefreshToken.nextInFamily(familySecrets, presented, settings.rotating(),
                settings.idleLifetime().map(now::plus).orElse(null));
    }

    /** Auth0 §4.2: a non-rotating token's idle lifetime follows the client's current settings and restarts. */
    private void keepUsing(RefreshToken token, RefreshTokenSettings settings, Authorization authorization,
                           IssuedAccessToken accessToken, Instant now) {
        Instant idle = settings.idleLifetime().map(now::plus).orElse(null);
        Instant expiresAt = RefreshToken.earliest(idle, token.absoluteExpiresAt());
        refreshTokens.touch(token.id(), now, idle, expiresAt);
        extend(authorization, expiresAt, accessToken, now);
    }

    /**
     * Keeps the authorization at least as long as what was just issued from it. It is moved a day
     * beyond what is needed, so that the refreshes of the next day find it long enough and write nothing.
     */
    private void extend(Authorization authorization, Instant refreshExpiry, IssuedAccessToken accessToken,
                        Instant now) {
        Instant accessExpiry = accessToken == null ? now : now.plusSeconds(accessToken.expiresIn());
        Instant needed = refreshExpiry.isAfter(accessExpiry) ? refreshExpiry : accessExpiry;
        if (authorization.expiresAt() == null || authorization.expiresAt().isBefore(needed)) {
            Instant generous = needed.equals(RefreshToken.NEVER) ? RefreshToken.NEVER : needed.plus(EXTENSION_SLACK);
            authorizations.extend(authorization.id(),
                    generous.isAfter(RefreshToken.NEVER) ? RefreshToken.NEVER : generous);
        }
    }

    private static boolean offlineAllowed(UserTokenRequest request) {
        Client client = request.client();
        return request.authorization().scopes().contains("offline_access")
                && (request.api() == null || request.api().allowOfflineAccess())
                && client.allowsGrant("refresh_token")
                && (client.confidential() || client.refreshToken().rotating());
    }
}
