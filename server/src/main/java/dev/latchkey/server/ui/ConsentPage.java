package dev.latchkey.server.ui;

import dev.latchkey.server.identity.SsoSession;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.interaction.Authentication;
import dev.latchkey.server.interaction.ConsentQuestions;
import dev.latchkey.server.interaction.InteractionEngine;
import dev.latchkey.server.interaction.LoginTransaction;
import dev.latchkey.server.interaction.LoginTransactions;
import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.PendingLogin;
import dev.latchkey.server.interaction.SessionState;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * {@code /u/consent}: asks the logged-in user to let the application have the scopes. Only the
 * browser whose SSO session logged in for this transaction may answer, with the transaction's
 * CSRF token. Accepting is remembered (Auth0 user grants); either answer resumes the transaction,
 * which a refusal ends with {@code access_denied}. With RBAC on, only the scopes the user holds are
 * asked for and remembered (Auth0 §2.2).
 */
public final class ConsentPage {

    private final LoginTransactions transactions;
    private final RegistryLookups lookups;
    private final UserDirectory users;
    private final ConsentQuestions questions;
    private final InteractionEngine engine;
    private final StepResponder steps;
    private final BrowserSession browser;
    private final Pages pages;

    public ConsentPage(LoginTransactions transactions, RegistryLookups lookups, UserDirectory users,
                       ConsentQuestions questions, InteractionEngine engine, StepResponder steps,
                       BrowserSession browser, Pages pages) {
        this.transactions = transactions;
        this.lookups = lookups;
        this.users = users;
        this.questions = questions;
        this.engine = engine;
        this.steps = steps;
        this.browser = browser;
        this.pages = pages;
    }

    public void show(Context ctx) {
        String id = ctx.queryParam("state");
        Optional<Ready> ready = ready(ctx, id);
        if (ready.isEmpty()) {
            return;
        }
        Ready r = ready.get();
        Optional<String> csrf = browser.csrfFor(ctx, r.tx(), id);
        if (csrf.isEmpty()) {
            pages.error(ctx, 400, "Cookies needed", LoginPage.FORM_REJECTED, null);
            return;
        }
        ConsentQuestions.Question question = questions.ask(r.tx().outcome(), r.user().userId());
        ResourceServer api = question.api();
        String label = r.user().email() != null ? r.user().email()
                : r.user().name() != null ? r.user().name() : r.user().userId();
        pages.render(ctx, 200, "consent.jte", new ConsentView(r.client().name(), api == null ? null : api.name(),
                label, id, csrf.get(), ScopeWords.of(question.scopes(), api),
                r.tx().outcome() instanceof Outcome.DeviceApproval),
                ContentSecurityPolicy.interaction(r.tx().outcome().returnTo()));
    }

    public void submit(Context ctx) {
        String id = ctx.formParam("state");
        Optional<Ready> ready = ready(ctx, id);
        if (ready.isEmpty()) {
            return;
        }
        Ready r = ready.get();
        if (!browser.csrfValid(ctx, r.tx(), id, ctx.formParam("csrf"))) {
            pages.error(ctx, 403, "Request rejected", LoginPage.FORM_REJECTED, null);
            return;
        }
        boolean accepted = "accept".equals(ctx.formParam("action"));
        if (accepted) {
            questions.accept(r.tx().outcome(), r.user().userId());
        }
        Authentication authentication = new Authentication(r.user().userId(), r.tx().authTime(), r.tx().sid(), true);
        SessionState session = SessionState.loggedIn(authentication, r.user()).answering(accepted
                ? SessionState.ConsentAnswer.ACCEPTED : SessionState.ConsentAnswer.DECLINED);
        steps.resume(ctx, new PendingLogin(id, r.tx()), engine.resume(r.tx().outcome(), r.client(), session));
    }

    /** The transaction, its client and user, when this browser's session is the one that logged in. */
    private Optional<Ready> ready(Context ctx, String id) {
        Optional<LoginTransaction> tx = transactions.find(id);
        Optional<Client> client = tx.flatMap(t -> lookups.client(t.outcome().request().clientId()));
        if (tx.isEmpty() || client.isEmpty() || !tx.get().authenticated()) {
            pages.error(ctx, 400, "Login expired", LoginPage.EXPIRED, null);
            return Optional.empty();
        }
        Optional<SsoSession> session = browser.current(ctx);
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

    private record Ready(LoginTransaction tx, Client client, User user) {
    }
}
