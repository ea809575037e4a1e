package dev.latchkey.server.ui;

import dev.latchkey.server.http.RequestOrigin;
import dev.latchkey.server.identity.IpNetwork;
import dev.latchkey.server.interaction.Authentication;
import dev.latchkey.server.interaction.LoginTransaction;
import dev.latchkey.server.interaction.LoginTransactions;
import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.PendingLogin;
import dev.latchkey.server.interaction.Step;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * Takes the browser where the {@link dev.latchkey.server.interaction.InteractionEngine}'s step leads: to the
 * login or consent page of its login transaction (opening one for a browser coming from an endpoint), or out
 * through the {@link OutcomeResponder}, closing the transaction.
 */
public final class StepResponder {

    private final String issuerUrl;
    private final LoginTransactions transactions;
    private final BrowserSession browser;
    private final RequestOrigin origin;
    private final OutcomeResponder outcomes;

    public StepResponder(String issuerUrl, LoginTransactions transactions, BrowserSession browser,
                         RequestOrigin origin, OutcomeResponder outcomes) {
        this.issuerUrl = issuerUrl;
        this.transactions = transactions;
        this.browser = browser;
        this.origin = origin;
        this.outcomes = outcomes;
    }

    /** From an endpoint, where no login transaction is open yet: one is opened if a page is needed. */
    public void begin(Context ctx, Outcome outcome, Step step) {
        if (step instanceof Step.ShowLogin) {
            toPage(ctx, "login", open(ctx, outcome, null));
        } else if (step instanceof Step.ShowConsent consent) {
            toPage(ctx, "consent", open(ctx, outcome, consent.authentication()));
        } else {
            end(ctx, outcome, step);
        }
    }

    /**
     * From a page of the transaction {@code pending}, or from the callback of an upstream login that carried it
     * unstored ({@link PendingLogin#stored()} false): such a transaction is stored only when a page of it follows.
     */
    public void resume(Context ctx, PendingLogin pending, Step step) {
        LoginTransaction tx = pending.transaction();
        if (step instanceof Step.Complete || step instanceof Step.Fail) {
            if (pending.stored()) {
                transactions.finish(tx);
            }
            end(ctx, tx.outcome(), step);
            return;
        }
        if (step instanceof Step.ShowConsent consent) {
            if (!pending.stored()) {
                transactions.save(tx.authenticatedAs(consent.authentication()));
            } else if (!consent.authentication().userId().equals(tx.userId())) {
                transactions.authenticated(tx, consent.authentication());
            }
            toPage(ctx, "consent", pending.id());
        } else {
            if (!pending.stored()) {
                transactions.save(tx);
            }
            toPage(ctx, "login", pending.id());
        }
    }

    /**
     * After the user logged in on a page of transaction {@code pending} (not yet authenticated) or at an upstream
     * provider: the login is written into the transaction only when a page of it follows; a transaction that ends
     * here is deleted at once, so that write would be lost.
     */
    public void resumeLoggedIn(Context ctx, PendingLogin pending, Authentication authentication, Step step) {
        boolean ends = step instanceof Step.Complete || step instanceof Step.Fail;
        LoginTransaction tx = pending.transaction();
        LoginTransaction loggedIn = ends ? tx
                : pending.stored() ? transactions.authenticated(tx, authentication) : tx.authenticatedAs(authentication);
        resume(ctx, new PendingLogin(pending.id(), loggedIn, pending.stored()), step);
    }

    private void end(Context ctx, Outcome outcome, Step step) {
        if (step instanceof Step.Complete complete) {
            outcomes.complete(ctx, complete);
        } else if (step instanceof Step.Fail failure) {
            outcomes.fail(ctx, outcome, failure.error(), failure.description());
        }
    }

    String open(Context ctx, Outcome outcome, Authentication authentication) {
        String binding = browser.binding(ctx);
        String id = transactions.start(outcome, authentication, IpNetwork.of(origin.clientAddress(ctx)), binding);
        browser.keepBinding(ctx, binding);
        return id;
    }

    private void toPage(Context ctx, String page, String id) {
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(issuerUrl + "u/" + page + "?state=" + id, HttpStatus.FOUND);
    }
}
