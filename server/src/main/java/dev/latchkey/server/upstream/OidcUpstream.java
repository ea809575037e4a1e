package dev.latchkey.server.upstream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.latchkey.server.identity.AppleSigningKey;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.SocialStrategy;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code oidc} strategy: a login at an OpenID Provider with the authorization code flow, as its relying
 * party. {@link #authorizationRequest} sends the browser there; {@link #finish} checks what comes back, in
 * this order, and answers who logged in.
 * <p>Rules:
 * <ol>
 *   <li>RFC 9207 §2.4: the {@code iss} in the response, required when the provider advertises
 *       {@code authorization_response_iss_parameter_supported}, must equal its issuer (mix-up, RFC 9700 §4.4).</li>
 *   <li>RFC 6749 §4.1.2.1: an {@code error} ends the login with the provider's refusal.</li>
 *   <li>OIDC Core §3.1.3.1, RFC 7636 §4.5: the code is exchanged at the token endpoint with the PKCE verifier
 *       and the client secret ({@code client_secret_post} or {@code client_secret_basic}).</li>
 *   <li>OIDC Core §3.1.3.7: the ID token is signed with an algorithm the provider advertises in
 *       {@code id_token_signing_alg_values_supported} (never {@code none}); its signature verifies with the
 *       provider's JWKS (or, for HMAC, the client secret); {@code iss} is the provider's; {@code aud} holds our
 *       client id; it has not expired; its {@code nonce} is the one this login sent.</li>
 *   <li>OIDC Core §5.3.2: claims from the userinfo endpoint count only when their {@code sub} is the ID token's.
 *       The endpoint is not called when the ID token already holds every claim the provider advertises for the
 *       scopes asked ({@link ProfileInIdToken}).</li>
 * </ol>
 */
public final class OidcUpstream implements UpstreamProtocol {

    /** Asymmetric algorithms accepted when the provider advertises them (JWA, RFC 7518 §3.1). */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.HS256, JWSAlgorithm.HS384,
            JWSAlgorithm.HS512);

    private final OidcProviders providers;
    private final UpstreamHttp http;
    private final UpstreamTokenRefresh refresher;

    public OidcUpstream(OidcProviders providers, UpstreamHttp http) {
        this.providers = providers;
        this.http = http;
        this.refresher = new UpstreamTokenRefresh(http);
    }

    /**
     * Who logged in at the provider, with the provider's tokens for {@code identities[]}, and its ID token as
     * received ({@code idToken}, the {@code id_token_hint} of a federated logout; null when there was none).
     */
    public record Login(String subject, Map<String, Object> claims, String accessToken, String refreshToken,
                        Long expiresIn, String idToken) {

        public Login(String subject, Map<String, Object> claims, String accessToken, String refreshToken,
                     Long expiresIn) {
            this(subject, claims, accessToken, refreshToken, expiresIn, null);
        }

        @Override
        public String toString() {
            return "Login[" + subject + "]";
        }
    }

    /** The scopes the connection asks the provider for. */
    private static Scope scope(Connection connection) {
        return Scope.parse((String) connection.options().get("scope"));
    }

    /** Where to send the browser: the provider's authorization endpoint with this login's state, nonce and PKCE. */
    public URI authorizationRequest(Connection connection, URI redirectUri, String state, String nonce,
                                    String codeVerifier) {
        OidcProvider provider = providers.of(connection);
        AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE,
                scope(connection), clientId(connection), redirectUri)
                .endpointURI(provider.metadata().getAuthorizationEndpointURI())
                .state(new State(state))
                .nonce(new Nonce(nonce))
                .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256);
        if (SocialPresets.FORM_POST.equals(connection.options().get(SocialPresets.RESPONSE_MODE))) {
            request.responseMode(ResponseMode.FORM_POST);
        }
        return request.build().toURI();
    }

    /** Checks the provider's answer at the callback ({@code params}) and completes the login. */
    public Login finish(Connection connection, Map<String, String> params, URI redirectUri, String nonce,
                        String codeVerifier) {
        OidcProvider provider = providers.of(connection);
        String issuer = provider.metadata().getIssuer().getValue();
        String iss = params.get("iss");
        if (iss != null ? !iss.equals(issuer) : provider.metadata().supportsAuthorizationResponseIssuerParam()) {
            throw invalid("The response's iss is not the identity provider's issuer");
        }
        if (params.get("error") != null) {
            String description = params.get("error_description");
            throw new UpstreamException(UpstreamException.Reason.PROVIDER_ERROR, "The identity provider answered "
                    + clean(params.get("error")) + (description == null ? "" : ": " + clean(description)));
        }
        String code = params.get("code");
        if (code == null || code.isEmpty()) {
            throw invalid("The identity provider's answer has no code");
        }
        Duration timeout = OidcProviders.timeout(connection);
        TokenRequest request = new TokenRequest(provider.metadata().getTokenEndpointURI(),
                authentication(connection, provider),
                new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, new CodeVerifier(codeVerifier)));
        HTTPResponse answer = http.send(request.toHTTPRequest(), timeout);
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(answer);
        } catch (ParseException e) {
            throw invalid("The identity provider's token response is not valid: " + e.getMessage());
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            if (error == null || error.getCode() == null) {
                throw UpstreamException.withoutTokens(answer.getStatusCode());
            }
            throw UpstreamException.refused(error.getCode(), "The identity provider's token "
                    + "endpoint answered " + clean(error.getCode()) + " (HTTP " + answer.getStatusCode() + ")");
        }
        OIDCTokenResponse tokens = (OIDCTokenResponse) response.toSuccessResponse();
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw invalid("The identity provider's token response has no ID token");
        }
        IDTokenClaimsSet idClaims = validate(connection, provider, idToken, nonce);
        Map<String, Object> claims = new LinkedHashMap<>(idClaims.toJSONObject());
        AccessToken accessToken = tokens.getOIDCTokens().getAccessToken();
        URI userinfo = provider.metadata().getUserInfoEndpointURI();
        if (userinfo != null && accessToken != null && !ProfileInIdToken.complete(provider.metadata(),
                scope(connection), idClaims)) {
            claims.putAll(userinfo(userinfo, accessToken, idClaims.getSubject().getValue(), timeout));
        }
        if (SocialStrategy.APPLE.strategy().equals(connection.strategy())) {
            AppleProfile.complete(claims, params.get("user"));
        }
        // The ID token's own claims about the token are not the user's profile.
        List.of("iss", "aud", "exp", "iat", "nbf", "nonce", "azp", "at_hash", "c_hash", "auth_time", "sid", "acr",
                "amr", "jti").forEach(claims::remove);
        RefreshToken refreshToken = tokens.getOIDCTokens().getRefreshToken();
        long lifetime = accessToken == null ? 0 : accessToken.getLifetime();
        return new Login(idClaims.getSubject().getValue(), claims,
                accessToken == null ? null : accessToken.getValue(),
                refreshToken == null ? null : refreshToken.getValue(), lifetime > 0 ? lifetime : null,
                idToken.serialize());
    }

    /**
     * Spends the provider's {@code refreshToken} at its token endpoint, authenticated as at login, within the
     * connection's timeout (RFC 6749 §6; {@link UpstreamTokenRefresh} has the rules).
     */
    public UpstreamTokenRefresh.Refreshed refresh(Connection connection, String refreshToken) {
        OidcProvider provider = providers.of(connection);
        return refresher.refresh(provider.metadata().getTokenEndpointURI(), authentication(connection, provider),
                refreshToken,
                OidcProviders.timeout(connection));
    }

    /**
     * Where to send the browser to end its session at the provider too (OIDC RP-Initiated Logout 1.0 §2): the
     * provider's {@code end_session_endpoint} with the login's ID token as {@code id_token_hint}, our
     * {@code client_id}, and {@code postLogoutRedirect} with {@code state} when given (§3: the provider sends
     * the browser there only if it is registered with it). Empty when the provider advertises no such endpoint.
     */
    public Optional<URI> endSession(Connection connection, String idToken, URI postLogoutRedirect, String state) {
        var metadata = providers.of(connection).metadata();
        URI endpoint = metadata.getEndSessionEndpointURI();
        if (endpoint == null || !OidcProviders.usable(endpoint)) {
            return Optional.empty();
        }
        JWT hint;
        try {
            hint = idToken == null ? null : JWTParser.parse(idToken);
            // The login's ID token goes only to the provider that issued it: a connection pointed at another
            // provider since then gets no federated logout (and never that token).
            if (hint != null && !metadata.getIssuer().getValue().equals(hint.getJWTClaimsSet().getIssuer())) {
                return Optional.empty();
            }
        } catch (java.text.ParseException e) {
            hint = null;
        }
        return Optional.of(new LogoutRequest(endpoint, hint, null, clientId(connection), postLogoutRedirect,
                state == null || postLogoutRedirect == null ? null : new State(state), null).toURI());
    }

    private IDTokenClaimsSet validate(Connection connection, OidcProvider provider, JWT idToken, String nonce) {
        if (!(idToken instanceof SignedJWT signed)) {
            throw invalid("The identity provider's ID token is not signed");
        }
        JWSHeader header = signed.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        List<JWSAlgorithm> advertised = provider.metadata().getIDTokenJWSAlgs();
        if (!ALGORITHMS.contains(alg) || advertised == null || !advertised.contains(alg)) {
            throw invalid("The identity provider's ID token is signed with " + alg + ", which it does not advertise");
        }
        boolean hmac = JWSAlgorithm.Family.HMAC_SHA.contains(alg);
        if (!hmac && new JWKSelector(JWKMatcher.forJWSHeader(header)).select(provider.keys()).isEmpty()) {
            // A key the provider rotated in since its JWKS was read.
            provider = providers.refreshKeys(connection, provider);
        }
        ClientID clientId = clientId(connection);
        IDTokenValidator validator = hmac
                ? new IDTokenValidator(provider.metadata().getIssuer(), clientId, alg, new Secret(connection.clientSecret()))
                : new IDTokenValidator(provider.metadata().getIssuer(), clientId, alg, provider.keys());
        try {
            return validator.validate(idToken, new Nonce(nonce));
        } catch (BadJOSEException e) {
            throw invalid("The identity provider's ID token was rejected: " + e.getMessage());
        } catch (JOSEException e) {
            throw invalid("The identity provider's ID token could not be checked: " + e.getMessage());
        }
    }

    private Map<String, Object> userinfo(URI endpoint, AccessToken accessToken, String subject, Duration timeout) {
        HTTPResponse answer = http.send(new UserInfoRequest(endpoint, accessToken).toHTTPRequest(), timeout);
        UserInfoResponse response;
        try {
            response = UserInfoResponse.parse(answer);
        } catch (ParseException e) {
            throw invalid("The identity provider's userinfo answer is not valid: " + e.getMessage());
        }
        if (!response.indicatesSuccess()) {
            throw invalid("The identity provider's userinfo endpoint answered HTTP " + answer.getStatusCode());
        }
        var info = response.toSuccessResponse().getUserInfo();
        if (info.getSubject() == null || !subject.equals(info.getSubject().getValue())) {
            throw invalid("The identity provider's userinfo is about another subject than its ID token");
        }
        return new LinkedHashMap<>(info.toJSONObject());
    }

    /**
     * How this connection authenticates at {@code provider}'s token endpoint: Apple's client secret signed for
     * the call when the connection holds Apple's key ({@code app_secret}), its client secret otherwise.
     */
    private ClientAuthentication authentication(Connection connection, OidcProvider provider) {
        String secret = connection.clientSecret();
        if (!AppleSigningKey.isPem(secret)) {
            return authentication(connection);
        }
        if (!(connection.options().get("kid") instanceof String keyId)
                || !(connection.options().get("team_id") instanceof String teamId)) {
            throw invalid("The connection's app_secret needs its team_id and kid");
        }
        return new ClientSecretPost(clientId(connection), new Secret(AppleClientSecret.sign(secret, keyId, teamId,
                clientId(connection).getValue(), provider.metadata().getIssuer().getValue(),
                providers.clock().instant())));
    }

    static ClientAuthentication authentication(Connection connection) {
        ClientID id = clientId(connection);
        Secret secret = new Secret(connection.clientSecret());
        return "client_secret_basic".equals(connection.options().get("token_endpoint_auth_method"))
                ? new ClientSecretBasic(id, secret) : new ClientSecretPost(id, secret);
    }

    static ClientID clientId(Connection connection) {
        return new ClientID((String) connection.options().get("client_id"));
    }

    /** What a provider says is shown on a page: printable, and short. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 200 ? printable.substring(0, 200) : printable;
    }

    private static UpstreamException invalid(String message) {
        return new UpstreamException(UpstreamException.Reason.INVALID_RESPONSE, message);
    }
}
