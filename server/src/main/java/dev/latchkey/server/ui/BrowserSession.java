package dev.latchkey.server.ui;

import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.identity.SsoSession;
import dev.latchkey.server.identity.SsoSessions;
import dev.latchkey.server.identity.UpstreamSignIn;
import dev.latchkey.server.interaction.Authentication;
import dev.latchkey.server.interaction.LoginTransaction;
import dev.latchkey.server.interaction.LoginTransactions;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.Optional;

/**
 * The browser's two cookies, and the only code that reads or writes them: the SSO session
 * ({@link #SESSION_COOKIE}, naming an {@link SsoSessions} session by its secret) and the binding that ties
 * login transactions to the browser that opened them ({@link #BROWSER_COOKIE}, see {@link LoginTransactions}).
 */
public final class BrowserSession {

    public static final String SESSION_COOKIE = "latchkey_session";
    public static final String BROWSER_COOKIE = "latchkey_browser";

    private final SsoSessions sessions;
    private final Cookies cookies;

    public BrowserSession(SsoSessions sessions, Cookies cookies) {
        this.sessions = sessions;
        this.cookies = cookies;
    }

    /**
     * The live SSO session this browser is in, if any. Using it pushes its idle expiry back, and the cookie's with
     * it: the cookie lives as long as the session would unused (Auth0's persistent session cookie).
     */
    public Optional<SsoSession> current(Context ctx) {
        String cookie = cookies.read(ctx, SESSION_COOKIE);
        Optional<SsoSession> session = sessions.find(cookie);
        session.ifPresent(s -> keepCookie(ctx, cookie, s));
        return session;
    }

    /** Who this browser's SSO session says is logged in, if anyone: not a fresh login. */
    public Optional<Authentication> authentication(Context ctx) {
        return current(ctx).map(s -> new Authentication(s.userId(), s.authTime(), s.sid(), false));
    }

    /**
     * Starts a new SSO session for {@code userId}, ending the one the browser had (no session fixation), and
     * answers the fresh login it records.
     */
    public Authentication logIn(Context ctx, String userId) {
        return logIn(ctx, userId, null);
    }

    /** As {@link #logIn(Context, String)}, for a login at an upstream provider ({@code upstream}, may be null). */
    public Authentication logIn(Context ctx, String userId, UpstreamSignIn upstream) {
        SsoSessions.Started session = sessions.start(userId, cookies.read(ctx, SESSION_COOKIE), upstream);
        keepCookie(ctx, session.cookie(), session.session());
        return new Authentication(userId, session.session().authTime(), session.session().sid(), true);
    }

    private void keepCookie(Context ctx, String cookie, SsoSession session) {
        long seconds = Duration.between(sessions.now(), session.endsAt()).toSeconds();
        cookies.set(ctx, SESSION_COOKIE, cookie, "/", Math.max(1, seconds));
    }

    /**
     * Ends this browser's SSO session and, given a {@code sid}, every session of that id; answers the session
     * the browser was in, if any.
     */
    public Optional<SsoSession> logOut(Context ctx, String sid) {
        String cookie = cookies.read(ctx, SESSION_COOKIE);
        Optional<SsoSession> session = sessions.find(cookie);
        sessions.end(cookie);
        if (sid != null) {
            sessions.endBySid(sid);
        }
        cookies.clear(ctx, SESSION_COOKIE, "/");
        return session;
    }

    /**
     * The binding to open a login transaction under: the first well-formed one this browser sent, or a new
     * one. {@link #keepBinding} sets it once the transaction is open.
     */
    public String binding(Context ctx) {
        return LoginTransactions.bindingToKeep(cookies.readAll(ctx, BROWSER_COOKIE));
    }

    /**
     * Sets the binding again, so that it lives as long as the newest login: one cookie per browser however
     * many logins it opens. Path=/ so that /authorize sees it too and a second tab's login leaves the first
     * one's intact.
     */
    public void keepBinding(Context ctx, String binding) {
        cookies.set(ctx, BROWSER_COOKIE, binding, "/", LoginTransactions.LIFETIME.toSeconds());
    }

    /** The CSRF token of transaction {@code id} for this browser, when it is the browser that opened it. */
    /** Whether the request carries a binding cookie at all (a cross-site POST carries none). */
    public boolean bound(Context ctx) {
        return !cookies.readAll(ctx, BROWSER_COOKIE).isEmpty();
    }

    public Optional<String> csrfFor(Context ctx, LoginTransaction tx, String id) {
        return LoginTransactions.csrfFor(tx, id, cookies.readAll(ctx, BROWSER_COOKIE));
    }

    /** True when {@code posted} is the CSRF token of transaction {@code id} for this browser. */
    public boolean csrfValid(Context ctx, LoginTransaction tx, String id, String posted) {
        return LoginTransactions.csrfValid(tx, id, posted, cookies.readAll(ctx, BROWSER_COOKIE));
    }
}
