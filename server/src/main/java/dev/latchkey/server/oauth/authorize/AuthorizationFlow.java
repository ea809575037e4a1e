package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.RequestOrigin;
import dev.latchkey.server.identity.IpNetwork;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.Optional;
import java.util.function.Function;

/**
 * Carries a checked authorization to its end, from /authorize or from the login and consent pages:
 * asks {@link Interaction} what is missing, then sends the browser to the login or consent page
 * (opening a login transaction), or issues and responds, or returns the error to the client.
 */
public final class AuthorizationFlow {

    /** The cookie binding login transactions to the browser that opened them ({@link LoginTransactions}). */
    public static final String BROWSER_COOKIE = "latchkey_browser";

    private final String issuerUrl;
    private final RegistryLookups lookups;
    private final Interaction interaction;
    private final LoginTransactions transactions;
    private final AuthorizationIssuer issuer;
    private final AuthorizationResponder responder;
    private final Cookies cookies;
    private final RequestOrigin origin;

    public AuthorizationFlow(String issuerUrl, RegistryLookups lookups, Interaction interaction,
                             LoginTransactions transactions, AuthorizationIssuer issuer,
                             AuthorizationResponder responder, Cookies cookies, RequestOrigin origin) {
        this.issuerUrl = issuerUrl;
        this.lookups = lookups;
        this.interaction = interaction;
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
        proceed(ctx, request, client, pending, api -> interaction.next(request, client, api, authentication,
                consentGiven));
    }

    /**
     * From the login and consent pages, which have just read the authenticated {@code user}: as
     * {@link #proceed(Context, CheckedAuthorization, Client, Optional, PendingLogin, boolean)} without reading
     * the user again.
     */
    public void proceed(Context ctx, CheckedAuthorization request, Client client, Authentication authentication,
                        User user, PendingLogin pending, boolean consentGiven) {
        proceed(ctx, request, client, pending, api -> interaction.next(request, client, api,
                Optional.of(authentication), Optional.of(user), consentGiven));
    }

    /** Looks the audience up, asks {@code nextStep} what the authorization needs for it, and does that. */
    private void proceed(Context ctx, CheckedAuthorization request, Client client, PendingLogin pending,
                         Function<ResourceServer, NextStep> nextStep) {
        ResourceServer api = null;
        if (request.audience() != null) {
            api = lookups.api(request.audience()).orElse(null);
            if (api == null) {
                fail(ctx, request, pending, "access_denied", "Service not found: " + request.audience());
                return;
            }
        }
        NextStep next = nextStep.apply(api);
        if (next instanceof NextStep.Login) {
            toPage(ctx, "login", request, pending, null);
        } else if (next instanceof NextStep.Consent consent) {
            toPage(ctx, "consent", request, pending, consent.authentication());
        } else if (next instanceof NextStep.Fail failure) {
            fail(ctx, request, pending, failure.error(), failure.description());
        } else if (next instanceof NextStep.Issue issue) {
            if (pending != null) {
                transactions.finish(pending.transaction());
            }
            responder.respond(ctx, request.redirectUri(), request.responseMode(),
                    issuer.issue(request.withScopes(issue.grant().scopes()), client, api, issue.user(),
                            issue.authentication()));
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
            id = transactions.start(request, authentication, network, binding);
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
