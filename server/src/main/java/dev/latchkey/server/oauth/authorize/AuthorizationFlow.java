package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.RequestOrigin;
import dev.latchkey.server.identity.IpNetwork;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.interaction.Authentication;
import dev.latchkey.server.interaction.InteractionEngine;
import dev.latchkey.server.interaction.LoginTransactions;
import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.PendingLogin;
import dev.latchkey.server.interaction.SessionState;
import dev.latchkey.server.interaction.Step;
import dev.latchkey.server.registry.Client;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.Optional;

/**
 * Carries a checked authorization to its end, from /authorize or from the login and consent pages:
 * asks {@link Interaction} what is missing, then sends the browser to the login or consent page
 * (opening a login transaction), or issues and responds, or returns the error to the client.
 */
public final class AuthorizationFlow {

    /** The cookie binding login transactions to the browser that opened them ({@link LoginTransactions}). */
    public static final String BROWSER_COOKIE = "latchkey_browser";

    private final String issuerUrl;
    private final InteractionEngine engine;
    private final LoginTransactions transactions;
    private final AuthorizationIssuer issuer;
    private final AuthorizationResponder responder;
    private final Cookies cookies;
    private final RequestOrigin origin;

    public AuthorizationFlow(String issuerUrl, InteractionEngine engine,
                             LoginTransactions transactions, AuthorizationIssuer issuer,
                             AuthorizationResponder responder, Cookies cookies, RequestOrigin origin) {
        this.issuerUrl = issuerUrl;
        this.engine = engine;
        this.transactions = transactions;
        this.issuer = issuer;
        this.responder = responder;
        this.cookies = cookies;
        this.origin = origin;
    }

    /**
     * @param pending      the login transaction the browser is in, or null when coming from /authorize
     * @param consentGiven the user has just accepted the consent page
     */
    public void proceed(Context ctx, CheckedAuthorization request, Client client,
                        Optional<Authentication> authentication, PendingLogin pending, boolean consentGiven) {
        proceed(ctx, request, client, pending, SessionState.of(authentication), consentGiven);
    }

    /**
     * From the login and consent pages, which have just read the authenticated {@code user}: as
     * {@link #proceed(Context, CheckedAuthorization, Client, Optional, PendingLogin, boolean)} without reading
     * the user again.
     */
    public void proceed(Context ctx, CheckedAuthorization request, Client client, Authentication authentication,
                        User user, PendingLogin pending, boolean consentGiven) {
        proceed(ctx, request, client, pending, SessionState.loggedIn(authentication, user), consentGiven);
    }

    private void proceed(Context ctx, CheckedAuthorization request, Client client, PendingLogin pending,
                         SessionState session, boolean consentGiven) {
        Step next = engine.resume(new Outcome.AuthorizationResponse(request), client,
                session.answering(consentGiven ? SessionState.ConsentAnswer.ACCEPTED : SessionState.ConsentAnswer.NONE));
        if (next instanceof Step.ShowLogin) {
            toPage(ctx, "login", request, pending, null);
        } else if (next instanceof Step.ShowConsent consent) {
            toPage(ctx, "consent", request, pending, consent.authentication());
        } else if (next instanceof Step.Fail failure) {
            fail(ctx, request, pending, failure.error(), failure.description());
        } else if (next instanceof Step.Complete complete) {
            if (pending != null) {
                transactions.finish(pending.transaction());
            }
            responder.respond(ctx, request.redirectUri(), request.responseMode(),
                    issuer.issue(complete.outcome().request(), client, complete.api(), complete.user(),
                            complete.authentication()));
        }
    }

    /** Ends the authorization with an error for the client (RFC 6749 §4.1.2.1). */
    public void fail(Context ctx, CheckedAuthorization request, PendingLogin pending, String error,
                     String description) {
        if (pending != null) {
            transactions.finish(pending.transaction());
        }
        responder.error(ctx, request.redirectUri(), request.responseMode(), error, description, request.state());
    }

    private void toPage(Context ctx, String page, CheckedAuthorization request, PendingLogin pending,
                        Authentication authentication) {
        String id;
        if (pending == null) {
            String network = IpNetwork.of(origin.clientAddress(ctx));
            // One binding per browser, kept while it has a login open (each new login renews it). Path=/
            // so that /authorize sees it too and a second tab's login leaves the first one's intact.
            String binding = LoginTransactions.bindingToKeep(cookies.readAll(ctx, BROWSER_COOKIE));
            id = transactions.start(new Outcome.AuthorizationResponse(request), authentication, network, binding);
            cookies.set(ctx, BROWSER_COOKIE, binding, "/", LoginTransactions.LIFETIME.toSeconds());
        } else {
            id = pending.id();
            if (authentication != null && !authentication.userId().equals(pending.transaction().userId())) {
                transactions.authenticated(pending.transaction(), authentication);
            }
        }
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(issuerUrl + "u/" + page + "?state=" + id, HttpStatus.FOUND);
    }
}
