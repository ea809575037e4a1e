package dev.latchkey.server.oauth.grant;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.latchkey.server.audit.AuditLog;
import dev.latchkey.server.audit.LogBudget;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.oauth.AuthenticatedClient;
import dev.latchkey.server.oauth.OAuthException;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.token.IdTokenFormat;
import dev.latchkey.server.token.IdTokenRequest;
import dev.latchkey.server.token.IssuedAccessToken;
import dev.latchkey.server.token.UserAccessTokenRequest;
import dev.latchkey.server.token.UserAccessTokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.5). Validation first: the code is
 * consumed atomically (single use) only if it was issued to this client, so another client can
 * neither use it up nor revoke what it gave; then it must be young enough, name the same redirect
 * URI, and the verifier must match its S256 challenge. A public client proves itself with PKCE
 * alone. A code replayed by its own client fails and revokes the opaque tokens issued from it
 * (RFC 6749 §4.1.2, §10.5); JWT access tokens cannot be recalled and simply run out. Then issue: an
 * access token (JWT for the API, or opaque for /userinfo) and, with openid, an ID token.
 */
public final class AuthorizationCodeGrant implements Grant {

    /** A used code is remembered this long, so a replay is recognised and its tokens revoked. */
    static final Duration REPLAY_MEMORY = Duration.ofDays(1);
    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final String INVALID_CODE = "Invalid authorization code";
    /** A code this client was never given (unknown, or another client's). Stackless, so shareable. */
    private static final OAuthException UNKNOWN_CODE = invalidGrant(INVALID_CODE);
    /** Failures of callers without a secret that are logged per client and minute, on each node. */
    static final int UNAUTHENTICATED_FAILURES_LOGGED = 10;

    private final AuthorizationCodeStore codes;
    private final RegistryLookups lookups;
    private final UserDirectory users;
    private final UserAccessTokens accessTokens;
    private final IdTokenFormat idTokens;
    private final Consumer<List<String>> revoked;
    private final AuditLog log;
    private final LogBudget unauthenticatedFailures = new LogBudget(UNAUTHENTICATED_FAILURES_LOGGED,
            Duration.ofMinutes(1));
    private final Clock clock;

    /**
     * @param revoked told the digests of opaque tokens revoked by a replay, to drop them from caches
     */
    public AuthorizationCodeGrant(AuthorizationCodeStore codes, RegistryLookups lookups, UserDirectory users,
                                  UserAccessTokens accessTokens, IdTokenFormat idTokens,
                                  Consumer<List<String>> revoked, AuditLog log, Clock clock) {
        this.codes = codes;
        this.lookups = lookups;
        this.users = users;
        this.accessTokens = accessTokens;
        this.idTokens = idTokens;
        this.revoked = revoked;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public String type() {
        return GrantType.AUTHORIZATION_CODE.getValue();
    }

    @Override
    public TokenResponse handle(AuthenticatedClient caller, Map<String, String> params) {
        Client client = caller.client();
        try {
            AuthorizationCode code = validate(caller, params);
            TokenResponse response = issue(client, code);
            log.record(new LogEvent("seacft", "Authorization Code for Access Token", client.clientId(),
                    client.name(), code.userId(), null, null, null, Map.of()));
            return response;
        } catch (OAuthException e) {
            // Anyone can call as a public client: failures without a secret are logged only for a code
            // of this client, and within a budget, so that they cannot flood the log with 30-day rows.
            if (caller.authenticated()
                    || (e != UNKNOWN_CODE && unauthenticatedFailures.allow(client.clientId()))) {
                log.record(new LogEvent("feacft", e.description(), client.clientId(), client.name(), null, null,
                        null, null, Map.of("error", e.code())));
            }
            throw e;
        }
    }

    private AuthorizationCode validate(AuthenticatedClient caller, Map<String, String> params) {
        Client client = caller.client();
        if (!client.allowsGrant(type())) {
            throw OAuthException.unauthorizedClient("Grant type 'authorization_code' not allowed for the client.");
        }
        String value = params.get("code");
        if (value == null || value.isEmpty()) {
            throw OAuthException.invalidRequest("Missing required parameter: code");
        }
        Instant now = clock.instant();
        String codeHash = SecretHash.of(value);
        // RFC 6749 §4.1.3: the code must have been issued to this client; the store checks it while
        // consuming, so another client's attempt leaves the code and its tokens alone (§10.5).
        AuthorizationCodeStore.Consumed consumed = codes.consume(codeHash, client.clientId(), now,
                now.plus(REPLAY_MEMORY)).orElseThrow(() -> UNKNOWN_CODE);
        if (consumed instanceof AuthorizationCodeStore.Consumed.Replayed) {
            // RFC 6749 §4.1.2: a code used twice is refused, and what it gave is revoked.
            revoked.accept(accessTokens.revokeIssuedFrom(codeHash));
            throw invalidGrant(INVALID_CODE + ": it was already used");
        }
        AuthorizationCode code = consumed.code();
        if (!now.isBefore(code.validUntil())) {
            throw invalidGrant(INVALID_CODE + ": it has expired");
        }
        // RFC 6749 §4.1.3: the same redirect_uri as in the authorization request.
        String redirectUri = params.get("redirect_uri");
        if (redirectUri != null ? !redirectUri.equals(code.redirectUri()) : client.callbacks().size() != 1) {
            throw invalidGrant("redirect_uri does not match the one the code was issued to");
        }
        verifyPkce(caller, code, params.get("code_verifier"));
        return code;
    }

    /** RFC 7636 §4.6, RFC 9700 §2.1.1: the verifier matches, and is absent when no challenge was made. */
    private static void verifyPkce(AuthenticatedClient caller, AuthorizationCode code, String verifier) {
        if (code.codeChallenge() == null) {
            if (verifier != null) {
                throw invalidGrant("code_verifier was sent but the authorization request had no code_challenge");
            }
            if (!caller.authenticated()) {
                throw invalidGrant("A public client must use PKCE");
            }
            return;
        }
        if (verifier == null || verifier.isEmpty()) {
            throw invalidGrant("Missing code_verifier: the authorization request used PKCE");
        }
        if (!VERIFIER.matcher(verifier).matches()) {
            throw invalidGrant("code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)");
        }
        String computed = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue();
        if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                code.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            throw invalidGrant("Failed to verify code_verifier");
        }
    }

    private TokenResponse issue(Client client, AuthorizationCode code) {
        ResourceServer api = null;
        if (code.audience() != null) {
            api = lookups.api(code.audience()).orElseThrow(() ->
                    OAuthException.accessDenied("Service not enabled within domain: " + code.audience()));
        }
        User user = users.findById(code.userId()).orElseThrow(() -> invalidGrant(INVALID_CODE));
        if (user.blocked()) {
            throw OAuthException.accessDenied("user is blocked");
        }
        IssuedAccessToken accessToken = accessTokens.issue(new UserAccessTokenRequest(api, user.userId(),
                client.clientId(), code.scopes(), code.permissions(), false, false, code.codeHash()));
        String idToken = null;
        if (code.scopes().contains("openid")) {
            idToken = idTokens.issue(new IdTokenRequest(client, user, code.scopes(), code.nonce(), code.authTime(),
                    code.sid(), accessToken.value(), null));
        }
        return new TokenResponse(accessToken, idToken, null);
    }

    private static OAuthException invalidGrant(String description) {
        // RFC 6749 §5.2: invalid_grant is a 400.
        return new OAuthException("invalid_grant", description, 400, null);
    }
}
