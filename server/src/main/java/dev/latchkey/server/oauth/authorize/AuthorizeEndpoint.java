package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.interaction.Authentication;
import dev.latchkey.server.interaction.InteractionEngine;
import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.SessionState;
import dev.latchkey.server.interaction.Step;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.token.OwnTokens;
import dev.latchkey.server.ui.BrowserSession;
import dev.latchkey.server.ui.Pages;
import dev.latchkey.server.ui.StepResponder;
import dev.latchkey.server.ui.UpstreamLoginPages;
import io.javalin.http.Context;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET|POST /authorize} (RFC 6749 §3.1, OIDC Core §3.1.2.1): runs the checks below in this
 * order, then asks the {@link InteractionEngine} what the checked request needs (login, consent, or
 * nothing: issue) and takes the browser there.
 * Until the client and its redirect URI are proven, errors are shown on a page; after, they go
 * back to the client on its response mode with its {@code state} (RFC 6749 §4.1.2.1).
 */
public final class AuthorizeEndpoint {

    /** The largest /authorize query string or form body; real requests are far smaller. */
    static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final List<AuthorizeCheck> checks;
    private final InteractionEngine engine;
    private final BrowserSession browser;
    private final StepResponder steps;
    private final AuthorizationResponder responder;
    private final Pages pages;
    private final UpstreamLoginPages upstream;

    public AuthorizeEndpoint(RegistryLookups lookups, String userinfoAudience, OwnTokens tokens,
                             InteractionEngine engine, BrowserSession browser, StepResponder steps,
                             AuthorizationResponder responder, Pages pages, ConnectionStore connections,
                             UpstreamLoginPages upstream) {
        this.checks = checks(lookups, userinfoAudience, tokens, connections);
        this.engine = engine;
        this.browser = browser;
        this.steps = steps;
        this.responder = responder;
        this.pages = pages;
        this.upstream = upstream;
    }

    /** The rules of /authorize, in the order they run. */
    static List<AuthorizeCheck> checks(RegistryLookups lookups, String userinfoAudience, OwnTokens tokens,
                                       ConnectionStore connections) {
        return List.of(
                new ClientCheck(lookups),          // client_id names an application       (page on error)
                new RedirectUriCheck(),            // redirect_uri is one of its callbacks (page on error)
                new StateCheck(),                  // state at most 2 KB                   (redirect from here on)
                new RequestObjectCheck(),          // no request / request_uri objects
                new RequestSyntaxCheck(),          // parses as OAuth 2.0 / OIDC (Nimbus)
                new ResponseTypeCheck(),           // a supported response type the client may use
                new ResponseModeCheck(),           // query / fragment / form_post / web_message
                new PkceCheck(),                   // S256 only; required for public clients
                new NonceCheck(),                  // required with an ID token from this endpoint
                new AudienceCheck(lookups, userinfoAudience), // a registered API, or /userinfo only
                new ScopeCheck(),                  // OIDC scopes + scopes the API defines
                new PromptCheck(),                 // prompt, max_age, login_hint
                new IdTokenHintCheck(tokens),      // id_token_hint: our ID token for this client
                new AcrValuesCheck(),              // acr_values, voluntary
                new ConnectionCheck(connections::findByName)); // connection: known, enabled for the client
    }

    public void handle(Context ctx) {
        boolean post = ctx.method().name().equals("POST");
        // Every parameter is bounded by its check; the whole request is too, before any is read.
        int size = post ? ctx.bodyAsBytes().length : ctx.queryString() == null ? 0 : ctx.queryString().length();
        if (size > MAX_REQUEST_BYTES) {
            pages.error(ctx, 400, "Something went wrong", "The authorization request is larger than "
                    + MAX_REQUEST_BYTES / 1024 + " KB.", "error: invalid_request");
            return;
        }
        Map<String, List<String>> raw = post ? ctx.formParamMap() : ctx.queryParamMap();
        Map<String, String> params = new LinkedHashMap<>();
        Set<String> repeated = new HashSet<>();
        raw.forEach((name, values) -> {
            if (values.size() > 1) {
                repeated.add(name);
            }
            if (!values.isEmpty()) {
                params.put(name, values.get(0));
            }
        });
        AuthorizeContext context = new AuthorizeContext(params, repeated);
        try {
            for (AuthorizeCheck check : checks) {
                check.check(context);
            }
        } catch (AuthorizeException e) {
            if (!e.page() && context.redirectable()) {
                responder.error(ctx, context.redirectUri(), context.errorResponseMode(), e.error(), e.description(),
                        context.state());
            } else {
                pages.error(ctx, 400, "Something went wrong", e.description(), "error: " + e.error());
            }
            return;
        }
        // OIDC Core §3.1.2.1: a session of another user than the id_token_hint's is no login of theirs.
        Optional<Authentication> authentication = browser.authentication(ctx)
                .filter(a -> context.hintedSubject() == null || context.hintedSubject().equals(a.userId()));
        Outcome outcome = new Outcome.AuthorizationResponse(context.checked());
        Step step = engine.resume(outcome, context.client(), SessionState.of(authentication));
        if (step instanceof Step.ShowLogin && context.connection() != null && context.connection().upstream()) {
            // Auth0: connection= goes straight to the upstream provider instead of the login page.
            upstream.begin(ctx, outcome, context.connection());
            return;
        }
        steps.begin(ctx, outcome, step);
    }
}
