package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.token.OwnTokens;
import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.identity.SsoSessions;
import dev.latchkey.server.interaction.Authentication;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.ui.Pages;
import io.javalin.http.Context;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET|POST /authorize} (RFC 6749 §3.1, OIDC Core §3.1.2.1): runs the checks below in this
 * order, then hands the checked request to {@link AuthorizationFlow} (login, consent, issue).
 * Until the client and its redirect URI are proven, errors are shown on a page; after, they go
 * back to the client on its response mode with its {@code state} (RFC 6749 §4.1.2.1).
 */
public final class AuthorizeEndpoint {

    public static final String SESSION_COOKIE = "latchkey_session";
    /** The largest /authorize query string or form body; real requests are far smaller. */
    static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final List<AuthorizeCheck> checks;
    private final SsoSessions sessions;
    private final AuthorizationFlow flow;
    private final AuthorizationResponder responder;
    private final Pages pages;
    private final Cookies cookies;

    public AuthorizeEndpoint(RegistryLookups lookups, String userinfoAudience, OwnTokens tokens, SsoSessions sessions,
                             AuthorizationFlow flow, AuthorizationResponder responder, Pages pages, Cookies cookies) {
        this.checks = List.of(
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
                new AcrValuesCheck());             // acr_values, voluntary
        this.sessions = sessions;
        this.flow = flow;
        this.responder = responder;
        this.pages = pages;
        this.cookies = cookies;
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
        Optional<Authentication> authentication = sessions.find(cookies.read(ctx, SESSION_COOKIE))
                .map(s -> new Authentication(s.userId(), s.authTime(), s.sid(), false))
                .filter(a -> context.hintedSubject() == null || context.hintedSubject().equals(a.userId()));
        flow.proceed(ctx, context.checked(), context.client(), authentication, null, false);
    }
}
