package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.Rollout;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.interaction.Authentication;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.oauth.grant.AuthorizationCode;
import dev.latchkey.server.oauth.grant.AuthorizationCodeStore;
import dev.latchkey.server.oauth.grant.SealedCodes;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.token.Authorization;
import dev.latchkey.server.token.IssuedAccessToken;
import dev.latchkey.server.token.IssuedTokens;
import dev.latchkey.server.token.TokenIssuer;
import dev.latchkey.server.token.UserTokenRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Issues what the response type asks for once the user is logged in and has consented: a code
 * (RFC 6749 §4.1.2), an access token (§4.2.2), an ID token (OIDC Core §3.2.2.5, §3.3.2.5), or a mix
 * (hybrid), all from one recorded authorization, and returns the response parameters in the order they
 * are sent.
 */
public final class AuthorizationIssuer {

    /** Codes are short-lived (RFC 6749 §4.1.2 recommends at most 10 minutes; FAPI and Auth0 use 60 s). */
    public static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

    private final AuthorizationCodeStore codes;
    private final SealedCodes sealedCodes;
    private final Rollout forms;
    private final TokenIssuer issuer;
    private final Clock clock;

    public AuthorizationIssuer(AuthorizationCodeStore codes, SealedCodes sealedCodes, Rollout forms,
                               TokenIssuer issuer, Clock clock) {
        this.codes = codes;
        this.sealedCodes = sealedCodes;
        this.forms = forms;
        this.issuer = issuer;
        this.clock = clock;
    }

    /**
     * @param request     the request with the scopes granted (RBAC applied)
     * @param permissions the access token's {@code permissions} claim ({@code *_authz} dialects)
     */
    public Map<String, String> issue(CheckedAuthorization request, Client client, ResourceServer api, User user,
                                     Authentication authentication) {
        String acr = AuthenticationContextClass.reported(request.acrValues());
        Authorization authorization = issuer.authorize(user.userId(), client, api, request.scopes(),
                authentication.sid(), authentication.authTime(), acr);
        Map<String, String> response = new LinkedHashMap<>();
        String code = null;
        if (request.returnsCode()) {
            code = code(request, client, user, authentication, authorization, acr);
            response.put("code", code);
        }
        if (request.returnsToken() || request.returnsIdToken()) {
            // OIDC Core §3.2.2.10, §3.3.2.11: at_hash with an access token, c_hash with a code.
            IssuedTokens tokens = issuer.forUser(new UserTokenRequest(authorization, client, api, user,
                    request.implicit() ? UserTokenRequest.Channel.IMPLICIT : UserTokenRequest.Channel.HYBRID,
                    request.returnsToken(), request.returnsIdToken(), request.nonce(), code, null, null, null));
            IssuedAccessToken accessToken = tokens.accessToken();
            if (accessToken != null) {
                response.put("access_token", accessToken.value());
                response.put("token_type", "Bearer");
                response.put("expires_in", Long.toString(accessToken.expiresIn()));
                if (!accessToken.scope().isEmpty()) {
                    response.put("scope", accessToken.scope());
                }
            }
            if (tokens.idToken() != null) {
                response.put("id_token", tokens.idToken());
            }
        }
        if (request.state() != null) {
            response.put("state", request.state());
        }
        return response;
    }

    /**
     * A code for {@code authorization}: sealed, spent in the authorization's own row, once every node reads that
     * form and it is short enough ({@link SealedCodes}); else 256 random bits, stored as a row by their digest.
     */
    private String code(CheckedAuthorization request, Client client, User user, Authentication authentication,
                        Authorization authorization, String acr) {
        Instant now = clock.instant();
        AuthorizationCode bound = new AuthorizationCode(null, client.clientId(), request.redirectUri(),
                request.codeChallenge(), request.codeChallengeMethod(), request.nonce(), request.scopes(),
                request.audience(), user.userId(), authentication.authTime(), authentication.sid(), now,
                now.plus(CODE_LIFETIME), null, now.plus(CODE_LIFETIME), authorization.id(), acr,
                !request.redirectUriDefaulted());
        Optional<String> sealed = forms.newFormsReadEverywhere() ? sealedCodes.seal(bound) : Optional.empty();
        if (sealed.isPresent()) {
            return sealed.get();
        }
        String code = RandomStrings.base64url(32);
        codes.create(new AuthorizationCode(SecretHash.of(code), bound.clientId(), bound.redirectUri(),
                bound.codeChallenge(), bound.codeChallengeMethod(), bound.nonce(), bound.scopes(), bound.audience(),
                bound.userId(), bound.authTime(), bound.sid(), bound.issuedAt(), bound.validUntil(), null,
                bound.expiresAt(), bound.authorizationId(), bound.acr(), bound.redirectUriGiven()));
        return code;
    }
}
