package dev.latchkey.server.upstream;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;

import java.net.URI;
import java.time.Duration;

/**
 * A provider's refresh token spent at its token endpoint for a new access token (RFC 6749 §6), for any strategy:
 * the caller gives the endpoint, its client authentication and the deadline.
 * <p>Rules:
 * <ul>
 *   <li>RFC 6749 §6: {@code grant_type=refresh_token} with the client's own authentication; no scope, so the
 *       original one is kept.</li>
 *   <li>RFC 6749 §5.1: the answer must hold an {@code access_token}; a {@code refresh_token} in it replaces the one
 *       spent (the provider rotated it, RFC 9700 §4.14.2); {@code expires_in} and {@code scope} when given.</li>
 *   <li>RFC 6749 §5.2: an {@code error} is the provider's refusal, kept with its code ({@code invalid_grant}: the
 *       user must log in at the provider again); anything else unreadable is an invalid answer.</li>
 * </ul>
 */
public final class UpstreamTokenRefresh {

    private final UpstreamHttp http;

    public UpstreamTokenRefresh(UpstreamHttp http) {
        this.http = http;
    }

    /** What the provider gave back: {@code refreshToken}, {@code expiresIn} and {@code scope} are null when absent. */
    public record Refreshed(String accessToken, String refreshToken, Long expiresIn, String scope) {

        @Override
        public String toString() {
            return "Refreshed[expiresIn=" + expiresIn + "]";
        }
    }

    public Refreshed refresh(URI tokenEndpoint, ClientAuthentication authentication, String refreshToken,
                             Duration timeout) {
        TokenRequest request = new TokenRequest(tokenEndpoint, authentication,
                new RefreshTokenGrant(new RefreshToken(refreshToken)));
        HTTPRequest httpRequest = request.toHTTPRequest();
        // RFC 6749 §5.1 answers are JSON; GitHub answers form-encoded unless asked for JSON.
        httpRequest.setAccept("application/json");
        HTTPResponse answer = http.send(httpRequest, timeout);
        TokenResponse response;
        try {
            response = TokenResponse.parse(answer);
        } catch (ParseException e) {
            throw new UpstreamException(UpstreamException.Reason.INVALID_RESPONSE,
                    "The identity provider's refresh answer is not valid: " + OidcUpstream.clean(e.getMessage()));
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            String code = error.getCode() == null ? "no error code" : OidcUpstream.clean(error.getCode());
            throw UpstreamException.refused(code, "The identity provider's token endpoint refused the refresh: "
                    + code + " (HTTP " + answer.getStatusCode() + ")");
        }
        Tokens tokens = response.toSuccessResponse().getTokens();
        AccessToken access = tokens.getAccessToken();
        long lifetime = access.getLifetime();
        return new Refreshed(access.getValue(),
                tokens.getRefreshToken() == null ? null : tokens.getRefreshToken().getValue(),
                lifetime > 0 ? lifetime : null, access.getScope() == null ? null : access.getScope().toString());
    }
}
