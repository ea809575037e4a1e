package dev.latchkey.server.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.latchkey.server.http.BearerToken;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.token.InvalidTokenException;
import dev.latchkey.server.token.OwnTokens;
import dev.latchkey.server.token.UserClaims;
import dev.latchkey.server.token.ValidToken;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET|POST /userinfo} (OIDC Core §5.3): the claims of the user an access token was issued
 * for, as far as its scopes release them. The token comes in the {@code Authorization: Bearer}
 * header or, on POST, the {@code access_token} form field (RFC 6750 §2.1, §2.2). Accepted: an opaque
 * token issued here, or a JWT signed here whose audience includes {@code <issuer>userinfo} (Auth0 §1.2),
 * both checked by {@link OwnTokens}; anything else is a 401 with {@code WWW-Authenticate: Bearer error="invalid_token"}
 * (RFC 6750 §3.1).
 */
public final class UserinfoEndpoint {

    /** User profiles are re-read at most this often per user (a hot path at thousands of calls a second). */
    static final Duration USER_TTL = Duration.ofSeconds(5);
    private static final String INVALID = "The access token is invalid or has expired";

    private final OwnTokens tokens;
    private final Set<String> audience;
    private final LoadingCache<String, Optional<User>> users;
    private final String realm;

    public UserinfoEndpoint(String issuer, OwnTokens tokens, UserDirectory users) {
        this.tokens = tokens;
        this.audience = Set.of(issuer + "userinfo");
        this.users = Caffeine.newBuilder().expireAfterWrite(USER_TTL).maximumSize(100_000).build(users::findById);
        this.realm = issuer;
    }

    /**
     * A revoked token (its authorization revoked: code replay, user blocked or given a new password,
     * revocation) is refused at once on every node; a deleted or blocked user is refused here once
     * {@link #USER_TTL} (5 s) has passed.
     */
    public void handle(Context ctx) {
        ValidToken token;
        try {
            token = tokens.accessToken(bearer(ctx), audience);
        } catch (InvalidTokenException e) {
            throw invalid(INVALID);
        }
        // Auth0: /userinfo answers only for tokens granted openid.
        if (!token.scopes().contains("openid") || token.userId() == null) {
            throw new OAuthException("insufficient_scope", "The access token was not granted the openid scope", 403,
                    "Bearer realm=\"" + realm + "\", error=\"insufficient_scope\", scope=\"openid\"");
        }
        User user = users.get(token.userId()).filter(u -> !u.blocked()).orElseThrow(() -> invalid(INVALID));
        ObjectNode body = Json.object().put("sub", user.userId());
        UserClaims.of(user, token.scopes()).forEach((name, value) -> body.set(name, Json.MAPPER.valueToTree(value)));
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 200, body);
    }

    /** RFC 6750 §2.1 header or §2.2 form body; never both (§2). */
    private String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        String form = null;
        String contentType = ctx.contentType();
        if (ctx.method().name().equals("POST") && contentType != null
                && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            form = ctx.formParam("access_token");
        }
        if (header != null && form != null) {
            throw new OAuthException("invalid_request", "Send the access token in one place only", 400,
                    "Bearer realm=\"" + realm + "\", error=\"invalid_request\"");
        }
        if (header != null) {
            return BearerToken.of(header).orElseThrow(() ->
                    invalid("The Authorization header must be: Bearer <access token>"));
        }
        if (form != null && !form.isEmpty()) {
            return form;
        }
        // RFC 6750 §3.1: no error code when the request carried no token at all.
        throw new OAuthException("invalid_token", "Missing access token", 401, "Bearer realm=\"" + realm + "\"");
    }

    private OAuthException invalid(String description) {
        return new OAuthException("invalid_token", description, 401,
                "Bearer realm=\"" + realm + "\", error=\"invalid_token\", error_description=\"" + description + "\"");
    }
}
