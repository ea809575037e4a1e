package dev.latchkey.server.oauth.grant;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.keys.SealedJson;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.oauth.AuthenticatedClient;
import dev.latchkey.server.oauth.OAuthException;
import dev.latchkey.server.oauth.TokenRequest;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.token.Authorization;
import dev.latchkey.server.token.AuthorizationStore;
import dev.latchkey.server.token.Revocations;
import dev.latchkey.server.token.TokenIssuer;
import dev.latchkey.server.token.UserTokenRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.5). Validation first: the code is
 * consumed atomically (single use) only if it was issued to this client, so another client can
 * neither use it up nor revoke what it gave; then it must be young enough, name the same redirect
 * URI, and the verifier must match its S256 challenge. A public client proves itself with PKCE
 * alone. A code replayed by its own client fails and revokes its authorization, with every token
 * issued from it (RFC 6749 §4.1.2, §10.5). A sealed code ({@link SealedCodes}) carries its redirect URI and PKCE
 * challenge, so those are checked before it is spent. Then the issuer issues from the code's authorization.
 */
public final class AuthorizationCodeGrant implements Grant {

    /** A used code is remembered this long, so a replay is recognised and its tokens revoked. */
    static final Duration REPLAY_MEMORY = Duration.ofDays(1);
    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final String INVALID_CODE = "Invalid authorization code";
    private static final Events EVENTS = new Events("seacft", "feacft", "Authorization Code for Access Token");

    private final AuthorizationCodeStore codes;
    private final SealedCodes sealedCodes;
    private final AuthorizationStore authorizations;
    private final RegistryLookups lookups;
    private final UserDirectory users;
    private final TokenIssuer issuer;
    private final Revocations revocations;
    private final Clock clock;

    public AuthorizationCodeGrant(AuthorizationCodeStore codes, SealedCodes sealedCodes,
                                  AuthorizationStore authorizations, RegistryLookups lookups, UserDirectory users,
                                  TokenIssuer issuer, Revocations revocations, Clock clock) {
        this.codes = codes;
        this.sealedCodes = sealedCodes;
        this.authorizations = authorizations;
        this.lookups = lookups;
        this.users = users;
        this.issuer = issuer;
        this.revocations = revocations;
        this.clock = clock;
    }

    @Override
    public String type() {
        return GrantType.AUTHORIZATION_CODE.getValue();
    }

    @Override
    public Events events() {
        return EVENTS;
    }

    @Override
    public Granted handle(AuthenticatedClient caller, TokenRequest request) {
        AuthorizationCode code = validate(caller, request);
        Client client = caller.client();
        ResourceServer api = null;
        if (code.audience() != null) {
            api = lookups.api(code.audience()).orElseThrow(() ->
                    OAuthException.accessDenied("Service not enabled within domain: " + code.audience()));
        }
        User user = users.findById(code.userId()).orElseThrow(() -> invalidGrant(INVALID_CODE));
        if (user.blocked()) {
            throw OAuthException.accessDenied("user is blocked");
        }
        Authorization authorization = new Authorization(code.authorizationId(), code.userId(), client.clientId(),
                code.audience(), code.scopes(), code.sid(), code.authTime(), code.acr(), code.issuedAt(),
                code.expiresAt());
        return new Granted(issuer.forUser(UserTokenRequest.atTokenEndpoint(authorization, client, api, user,
                code.nonce())), user.userId());
    }

    private AuthorizationCode validate(AuthenticatedClient caller, TokenRequest request) {
        Client client = caller.client();
        Grant.requireEnabled(client, type());
        String value = request.required("code");
        Instant now = clock.instant();
        if (!SealedJson.storedForm(value)) {
            return validateSealed(caller, request, value, now);
        }
        // RFC 6749 §4.1.3: the code must have been issued to this client; the store checks it while
        // consuming, so another client's attempt leaves the code and its tokens alone (§10.5).
        AuthorizationCodeStore.Consumed consumed = codes.consume(SecretHash.of(value), client.clientId(), now,
                now.plus(REPLAY_MEMORY)).orElseThrow(() -> invalidGrant(INVALID_CODE).aboutUnknownCredential());
        AuthorizationCode code = consumed.code();
        if (consumed instanceof AuthorizationCodeStore.Consumed.Replayed) {
            throw replayed(code.authorizationId());
        }
        if (!now.isBefore(code.validUntil())) {
            throw invalidGrant(INVALID_CODE + ": it has expired");
        }
        checkRedirectUri(request, code.redirectUri(), code.redirectUriGiven());
        verifyPkce(caller, code.codeChallenge(), request.raw("code_verifier"));
        return code;
    }

    /**
     * A code of the sealed form. What it is bound to travels in it, so the redirect URI and the PKCE verifier are
     * checked before it is spent: a presenter without them (an intercepted code) spends nothing and revokes
     * nothing. Then it is spent in its authorization's row, by this client only; a replay within
     * {@link #REPLAY_MEMORY} of its expiry revokes what it gave, as for a stored code.
     */
    private AuthorizationCode validateSealed(AuthenticatedClient caller, TokenRequest request, String value,
                                             Instant now) {
        SealedCodes.Payload payload = sealedCodes.open(value)
                .orElseThrow(() -> invalidGrant(INVALID_CODE).aboutUnknownCredential());
        checkRedirectUri(request, payload.redirectUri(), payload.redirectUriGiven());
        verifyPkce(caller, payload.codeChallenge(), request.raw("code_verifier"));
        AuthorizationStore.CodeSpend spend = authorizations.spendCode(payload.authorizationId(),
                caller.client().clientId(), now).orElseThrow(() -> invalidGrant(INVALID_CODE).aboutUnknownCredential());
        AuthorizationCode code = payload.with(spend.authorization(), now);
        if (!spend.first()) {
            if (now.isBefore(code.validUntil().plus(REPLAY_MEMORY))) {
                throw replayed(code.authorizationId());
            }
            throw invalidGrant(INVALID_CODE).aboutUnknownCredential();
        }
        if (!now.isBefore(code.validUntil())) {
            throw invalidGrant(INVALID_CODE + ": it has expired");
        }
        return code;
    }

    /** RFC 6749 §4.1.2: a code used twice is refused, and what it gave is revoked. */
    private OAuthException replayed(String authorizationId) {
        if (authorizationId != null) {
            revocations.authorization(authorizationId);
        }
        return invalidGrant(INVALID_CODE + ": it was already used");
    }

    /**
     * RFC 6749 §4.1.3: the same redirect_uri as in the authorization request, required whenever that request had
     * one; a code whose request named none (a client with one callback) may omit it.
     */
    private static void checkRedirectUri(TokenRequest request, String codeRedirectUri, boolean given) {
        String redirectUri = request.raw("redirect_uri");
        if (redirectUri != null ? !redirectUri.equals(codeRedirectUri) : given) {
            throw invalidGrant("redirect_uri does not match the one the code was issued to");
        }
    }

    /** RFC 7636 §4.6, RFC 9700 §2.1.1: the verifier matches, and is absent when no challenge was made. */
    private static void verifyPkce(AuthenticatedClient caller, String challenge, String verifier) {
        if (challenge == null) {
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
                challenge.getBytes(StandardCharsets.US_ASCII))) {
            throw invalidGrant("Failed to verify code_verifier");
        }
    }

    private static OAuthException invalidGrant(String description) {
        // RFC 6749 §5.2: invalid_grant is a 400.
        return OAuthException.invalidGrant(description, 400);
    }
}
