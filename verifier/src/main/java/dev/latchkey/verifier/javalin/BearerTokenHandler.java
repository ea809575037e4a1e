package dev.latchkey.verifier.javalin;

import dev.latchkey.verifier.AccessTokenVerifier;
import dev.latchkey.verifier.AuthorizationHeader;
import dev.latchkey.verifier.BearerErrorResponse;
import dev.latchkey.verifier.TokenVerificationException;
import dev.latchkey.verifier.VerifiedToken;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.util.List;

/**
 * A Javalin before-handler that lets a request through only with a valid bearer access token holding the
 * required scopes, and puts the {@link VerifiedToken} on the context for the endpoint:
 * <pre>{@code
 * config.routes.beforeMatched("/patients", new BearerTokenHandler(verifier, "read:patients"));
 * config.routes.get("/patients", ctx -> ctx.json(patientsOf(BearerTokenHandler.token(ctx).subject())));
 * }</pre>
 * Refusals are answered 401, 403 or 400 with the RFC 6750 {@code WWW-Authenticate} challenge, and the
 * remaining handlers are skipped.
 */
public final class BearerTokenHandler implements Handler {

    /** The context attribute holding the {@link VerifiedToken}. */
    public static final String ATTRIBUTE = VerifiedToken.class.getName();

    private final AccessTokenVerifier verifier;
    private final String[] requiredScopes;

    public BearerTokenHandler(AccessTokenVerifier verifier, String... requiredScopes) {
        this.verifier = verifier;
        this.requiredScopes = List.of(requiredScopes).toArray(String[]::new);
    }

    /** The token the handler accepted for this request. */
    public static VerifiedToken token(Context ctx) {
        if (ctx.attribute(ATTRIBUTE) instanceof VerifiedToken token) {
            return token;
        }
        throw new IllegalStateException("No BearerTokenHandler ran for this request");
    }

    @Override
    public void handle(Context ctx) {
        try {
            String bearer = AuthorizationHeader.bearerToken(ctx.req().getHeaders("Authorization").asIterator());
            VerifiedToken token = verifier.verify(bearer);
            token.requireScopes(requiredScopes);
            ctx.attribute(ATTRIBUTE, token);
        } catch (TokenVerificationException refusal) {
            BearerErrorResponse answer = BearerErrorResponse.of(verifier.audience(), refusal);
            answer.wwwAuthenticate().ifPresent(challenge -> ctx.header("WWW-Authenticate", challenge));
            ctx.status(answer.status())
                    .header("Cache-Control", "no-store")
                    .contentType(BearerErrorResponse.CONTENT_TYPE)
                    .result(answer.jsonBody());
            ctx.skipRemainingHandlers();
        }
    }
}
