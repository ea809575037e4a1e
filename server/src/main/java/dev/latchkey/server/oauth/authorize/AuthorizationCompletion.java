package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.Step;
import dev.latchkey.server.ui.OutcomeResponder;
import io.javalin.http.Context;

/**
 * Ends a login transaction that ends in an authorization response: issues what the response type asks for
 * and sends it to the client's redirect URI, or sends the error there (RFC 6749 §4.1.2, §4.1.2.1).
 */
public final class AuthorizationCompletion implements OutcomeResponder {

    private final AuthorizationIssuer issuer;
    private final AuthorizationResponder responder;

    public AuthorizationCompletion(AuthorizationIssuer issuer, AuthorizationResponder responder) {
        this.issuer = issuer;
        this.responder = responder;
    }

    @Override
    public void complete(Context ctx, Step.Complete step) {
        CheckedAuthorization request = step.outcome().request();
        responder.respond(ctx, request.redirectUri(), request.responseMode(),
                issuer.issue(request, step.client(), step.api(), step.user(), step.authentication()));
    }

    @Override
    public void fail(Context ctx, Outcome outcome, String error, String description) {
        CheckedAuthorization request = outcome.request();
        responder.error(ctx, request.redirectUri(), request.responseMode(), error, description, request.state());
    }
}
