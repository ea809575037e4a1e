package dev.latchkey.server.ui;

import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.identity.SsoSession;
import dev.latchkey.server.identity.SsoSessions;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.interaction.Authentication;
import dev.latchkey.server.oauth.authorize.AuthorizationFlow;
import dev.latchkey.server.oauth.authorize.AuthorizeEndpoint;
import dev.latchkey.server.oauth.authorize.CheckedAuthorization;
import dev.latchkey.server.oauth.authorize.ConsentPolicy;
import dev.latchkey.server.interaction.LoginTransaction;
import dev.latchkey.server.interaction.LoginTransactions;
import dev.latchkey.server.interaction.PendingLogin;
import dev.latchkey.server.rbac.RbacPolicy;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * {@code /u/consent}: asks the logged-in user to let the application have the scopes. Only the
 * browser whose SSO session logged in for this transaction may answer, with the transaction's
 * CSRF token. Accepting is remembered (Auth0 user grants); declining returns {@code access_denied}.
 * With RBAC on, only the scopes the user holds are asked for and remembered (Auth0 §2.2).
 */
public final class ConsentPage {

    private final LoginTransactions transactions;
    private final RegistryLookups lookups;
    private final UserDirectory users;
    private final SsoSessions sessions;
    private final ConsentPolicy consent;
    private final RbacPolicy rbac;
    private final AuthorizationFlow flow;
    private final Pages pages;
    private final Cookies cookies;

    public ConsentPage(LoginTransactions transactions, RegistryLookups lookups, UserDirectory users,
                       SsoSessions sessions, ConsentPolicy consent, RbacPolicy rbac, AuthorizationFlow flow,
                       Pages pages, Cookies cookies) {
        this.transactions = transactions;
        this.lookups = lookups;
        this.users = users;
        this.sessions = sessions;
        this.consent = consent;
        this.rbac = rbac;
        this.flow = flow;
        this.pages = pages;
        this.cookies = cookies;
    }

    public void show(Context ctx) {
        String id = ctx.queryParam("state");
        Optional<Ready> ready = ready(ctx, id);
        if (ready.isEmpty()) {
            return;
        }
        Ready r = ready.get();
        Optional<String> csrf = LoginTransactions.csrfFor(r.tx(), id,
                cookies.readAll(ctx, AuthorizationFlow.BROWSER_COOKIE));
        if (csrf.isEmpty()) {
            pages.error(ctx, 400, "Cookies needed", LoginPage.FORM_REJECTED, null);
            return;
        }
        ResourceServer api = api(r);
        String label = r.user().email() != null ? r.user().email()
                : r.user().name() != null ? r.user().name() : r.user().userId();
        pages.render(ctx, 200, "consent.jte", new ConsentView(r.client().name(), api == null ? null : api.name(),
                label, id, csrf.get(), ScopeWords.of(granted(r, api).scopes(), api)),
                ContentSecurityPolicy.interaction(r.tx().outcome().request().redirectUri()));
    }

    public void submit(Context ctx) {
        String id = ctx.formParam("state");
        Optional<Ready> ready = ready(ctx, id);
        if (ready.isEmpty()) {
            return;
        }
        Ready r = ready.get();
        if (!LoginTransactions.csrfValid(r.tx(), id, ctx.formParam("csrf"),
                cookies.readAll(ctx, AuthorizationFlow.BROWSER_COOKIE))) {
            pages.error(ctx, 403, "Request rejected", LoginPage.FORM_REJECTED, null);
            return;
        }
        PendingLogin pending = new PendingLogin(id, r.tx());
        if (!"accept".equals(ctx.formParam("action"))) {
            flow.fail(ctx, r.tx().outcome().request(), pending, "access_denied", "User did not authorize the request");
            return;
        }
        consent.remember(granted(r, api(r)), r.user().userId());
        Authentication authentication = new Authentication(r.user().userId(), r.tx().authTime(), r.tx().sid(), true);
        flow.proceed(ctx, r.tx().outcome().request(), r.client(), authentication, r.user(), pending, true);
    }

    /** The transaction, its client and user, when this browser's session is the one that logged in. */
    private Optional<Ready> ready(Context ctx, String id) {
        Optional<LoginTransaction> tx = transactions.find(id);
        Optional<Client> client = tx.flatMap(t -> lookups.client(t.outcome().request().clientId()));
        if (tx.isEmpty() || client.isEmpty() || !tx.get().authenticated()) {
            pages.error(ctx, 400, "Login expired", LoginPage.EXPIRED, null);
            return Optional.empty();
        }
        Optional<SsoSession> session = sessions.find(cookies.read(ctx, AuthorizeEndpoint.SESSION_COOKIE));
        if (session.isEmpty() || !session.get().sid().equals(tx.get().sid())) {
            pages.error(ctx, 403, "Session ended", "You are no longer logged in. Go back to the application and "
                    + "log in again.", null);
            return Optional.empty();
        }
        Optional<User> user = users.findById(tx.get().userId()).filter(u -> !u.blocked());
        if (user.isEmpty()) {
            pages.error(ctx, 403, "Account unavailable", "This account can no longer log in.", null);
            return Optional.empty();
        }
        return Optional.of(new Ready(tx.get(), client.get(), user.get()));
    }

    private ResourceServer api(Ready r) {
        return r.tx().outcome().request().audience() == null ? null : lookups.api(r.tx().outcome().request().audience()).orElse(null);
    }

    /** The request with the scopes RBAC lets this user have. */
    private CheckedAuthorization granted(Ready r, ResourceServer api) {
        return r.tx().outcome().request().withScopes(rbac.decide(r.user().userId(), api, r.tx().outcome().request().scopes()).scopes());
    }

    private record Ready(LoginTransaction tx, Client client, User user) {
    }
}
