package dev.latchkey.server.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionOptions;
import net.minidev.json.JSONObject;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code oauth2} strategy (Auth0's Custom Social Connection) and the social presets that are not OpenID
 * Providers: a login at a plain OAuth 2.0 provider with the authorization code flow, then its profile endpoint
 * read with the access token. {@link #finish} checks the answer in this order.
 * <p>Rules:
 * <ol>
 *   <li>RFC 6749 §4.1.2.1: an {@code error} ends the login with the provider's refusal.</li>
 *   <li>RFC 6749 §4.1.3, RFC 7636 §4.5: the code is exchanged at {@code tokenURL} with the client secret
 *       ({@code client_secret_post} unless {@code client_secret_basic}) and the PKCE verifier (unless
 *       {@code pkce_enabled} is false), asking for JSON ({@code Accept: application/json}: GitHub answers
 *       form-encoded otherwise); a form-encoded answer is read too.</li>
 *   <li>RFC 6749 §5.1–5.2: the answer carries an {@code access_token} of type Bearer, or an {@code error}, which
 *       is the provider's refusal (GitHub says so with HTTP 200).</li>
 *   <li>RFC 6750 §2.1: the profile is read at {@code userInfoURL} with {@code Authorization: Bearer}; it is a
 *       JSON object holding the user's id ({@link ProfileFields}).</li>
 *   <li>GitHub ({@code userEmailsURL}): the email and whether it is verified come from {@code /user/emails}
 *       ({@link GitHubEmails}).</li>
 *   <li>Every call goes through {@link UpstreamHttp}: a deadline and a cap on what is read.</li>
 * </ol>
 */
public final class OAuth2Upstream implements UpstreamProtocol {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final UpstreamHttp http;
    private final UpstreamTokenRefresh refresher;

    public OAuth2Upstream(UpstreamHttp http) {
        this.http = http;
        this.refresher = new UpstreamTokenRefresh(http);
    }

    /** Spends the provider's {@code refreshToken} at {@code tokenURL} (RFC 6749 §6), authenticated as at login. */
    public UpstreamTokenRefresh.Refreshed refresh(Connection connection, String refreshToken) {
        return refresher.refresh(url(connection, "tokenURL"), OidcUpstream.authentication(connection), refreshToken,
                OidcProviders.timeout(connection));
    }

    @Override
    public URI authorizationRequest(Connection connection, URI redirectUri, String state, String nonce,
                                    String codeVerifier) {
        AuthorizationRequest.Builder request = new AuthorizationRequest.Builder(ResponseType.CODE,
                OidcUpstream.clientId(connection))
                .endpointURI(url(connection, "authorizationURL"))
                .redirectionURI(redirectUri)
                .state(new State(state));
        String scope = (String) connection.options().get("scope");
        if (scope != null && !scope.isBlank()) {
            request.scope(Scope.parse(scope));
        }
        if (pkce(connection)) {
            request.codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256);
        }
        return request.build().toURI();
    }

    @Override
    public OidcUpstream.Login finish(Connection connection, Map<String, String> params, URI redirectUri,
                                     String nonce, String codeVerifier) {
        if (params.get("error") != null) {
            String description = params.get("error_description");
            throw new UpstreamException(UpstreamException.Reason.PROVIDER_ERROR, "The identity provider answered "
                    + OidcUpstream.clean(params.get("error"))
                    + (description == null ? "" : ": " + OidcUpstream.clean(description)));
        }
        String code = params.get("code");
        if (code == null || code.isEmpty()) {
            throw invalid("The identity provider's answer has no code");
        }
        Duration timeout = OidcProviders.timeout(connection);
        Tokens tokens = exchange(connection, code, redirectUri, codeVerifier, timeout);
        AccessToken accessToken = tokens.getAccessToken();
        Map<String, Object> profile = object(get(url(connection, "userInfoURL"), accessToken, timeout, "profile"),
                "profile");
        ProfileFields fields = new ProfileFields((Map<?, ?>) connection.options().get("fieldsMap"));
        String subject = fields.subject(profile);
        Map<String, Object> claims = fields.claims(profile);
        if (!SocialPresets.vouchesForEmails(connection)) {
            claims.remove("email_verified");
        }
        if (connection.options().get("userEmailsURL") instanceof String) {
            githubEmail(connection, accessToken, timeout, claims);
        }
        RefreshToken refreshToken = tokens.getRefreshToken();
        long lifetime = accessToken.getLifetime();
        return new OidcUpstream.Login(subject, claims, accessToken.getValue(),
                refreshToken == null ? null : refreshToken.getValue(), lifetime > 0 ? lifetime : null);
    }

    private Tokens exchange(Connection connection, String code, URI redirectUri, String codeVerifier,
                            Duration timeout) {
        HTTPRequest request = new TokenRequest(url(connection, "tokenURL"), OidcUpstream.authentication(connection),
                new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri,
                        pkce(connection) ? new CodeVerifier(codeVerifier) : null)).toHTTPRequest();
        request.setAccept("application/json");
        HTTPResponse answer = http.send(request, timeout);
        JSONObject body = tokenBody(answer);
        if (body == null) {
            throw UpstreamException.withoutTokens(answer.getStatusCode());
        }
        TokenResponse response;
        try {
            response = TokenResponse.parse(body);
        } catch (ParseException e) {
            throw invalid("The identity provider's token response is not valid: " + e.getMessage());
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            if (error == null || error.getCode() == null) {
                throw UpstreamException.withoutTokens(answer.getStatusCode());
            }
            throw UpstreamException.refused(error.getCode(), "The identity provider's token "
                    + "endpoint answered " + OidcUpstream.clean(error.getCode()) + " (HTTP "
                    + answer.getStatusCode() + ")");
        }
        return response.toSuccessResponse().getTokens();
    }

    /** The token response as a JSON object, from JSON or form encoding; null when it is neither. */
    private static JSONObject tokenBody(HTTPResponse answer) {
        String body = answer.getBody() == null ? "" : answer.getBody().trim();
        String type = answer.getHeaderValue("Content-Type");
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            JSONObject form = new JSONObject();
            URLUtils.parseParameters(body).forEach((name, values) -> {
                if (values.size() == 1) {
                    String value = values.get(0);
                    // RFC 6749 §5.1: expires_in is a number; a form can only carry it as text.
                    form.put(name, "expires_in".equals(name) && value.matches("\\d{1,12}") ? Long.valueOf(value)
                            : value);
                }
            });
            return form.isEmpty() ? null : form;
        }
        if (!body.startsWith("{")) {
            return null;
        }
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            return null;
        }
    }

    /** GitHub: the verified primary email, else the profile's, never verified on its own word. */
    private void githubEmail(Connection connection, AccessToken accessToken, Duration timeout,
                             Map<String, Object> claims) {
        HTTPResponse answer = send(url(connection, "userEmailsURL"), accessToken, timeout);
        if (answer.getStatusCode() != 200) {
            // Without scope user:email GitHub answers 403/404: keep the profile's email, unverified.
            claims.remove("email_verified");
            return;
        }
        List<?> emails;
        try {
            emails = Json.MAPPER.readValue(answer.getBody(), List.class);
        } catch (JsonProcessingException e) {
            throw invalid("The identity provider's email list is not a JSON array");
        }
        claims.remove("email_verified");
        GitHubEmails.choose(emails, (String) claims.get("email")).ifPresent(email -> {
            claims.put("email", email.address());
            if (email.verified()) {
                claims.put("email_verified", true);
            }
        });
    }

    private String get(URI endpoint, AccessToken accessToken, Duration timeout, String what) {
        HTTPResponse answer = send(endpoint, accessToken, timeout);
        if (answer.getStatusCode() != 200) {
            throw new UpstreamException(answer.getStatusCode() >= 500 ? UpstreamException.Reason.UNREACHABLE
                    : UpstreamException.Reason.INVALID_RESPONSE, "The identity provider's " + what
                    + " endpoint answered HTTP " + answer.getStatusCode());
        }
        return answer.getBody();
    }

    private HTTPResponse send(URI endpoint, AccessToken accessToken, Duration timeout) {
        HTTPRequest request = new UserInfoRequest(endpoint, accessToken).toHTTPRequest();
        request.setAccept("application/json");
        return http.send(request, timeout);
    }

    private static Map<String, Object> object(String body, String what) {
        try {
            Map<String, Object> value = body == null ? null : Json.MAPPER.readValue(body, OBJECT);
            if (value == null) {
                throw invalid("The identity provider's " + what + " is not a JSON object");
            }
            return new LinkedHashMap<>(value);
        } catch (JsonProcessingException e) {
            throw invalid("The identity provider's " + what + " is not a JSON object");
        }
    }

    private static boolean pkce(Connection connection) {
        return !Boolean.FALSE.equals(connection.options().get("pkce_enabled"));
    }

    private static URI url(Connection connection, String option) {
        return ConnectionOptions.url((String) connection.options().get(option), option);
    }

    private static UpstreamException invalid(String message) {
        return new UpstreamException(UpstreamException.Reason.INVALID_RESPONSE, message);
    }
}
