package dev.latchkey.server.ui;

import dev.latchkey.server.http.RequestOrigin;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.identity.LoginAttempt;
import dev.latchkey.server.identity.LoginResult;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.interaction.Authentication;
import dev.latchkey.server.interaction.InteractionEngine;
import dev.latchkey.server.interaction.LoginTransaction;
import dev.latchkey.server.interaction.LoginTransactions;
import dev.latchkey.server.interaction.PendingLogin;
import dev.latchkey.server.interaction.SessionState;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code /u/login}: the login form of a login transaction. A successful login starts a new SSO
 * session (a new cookie secret: no session fixation) and resumes the transaction. Failures
 * never say whether the email exists (OWASP Authentication: "Wrong email or password.").
 */
public final class LoginPage {

    static final String WRONG_CREDENTIALS = "Wrong email or password.";
    static final String EXPIRED = "This login link has expired or was already used. Go back to the application and "
            + "log in again.";
    static final String FORM_REJECTED = "The form could not be verified. Go back to the application and log in "
            + "again in this browser; make sure cookies are allowed for this site.";
    /** Auth0 blocks a user and IP pair after 10 consecutive failures. */
    static final int ATTEMPT_LIMIT = 10;

    private final LoginTransactions transactions;
    private final RegistryLookups lookups;
    private final UserDirectory users;
    private final InteractionEngine engine;
    private final StepResponder steps;
    private final BrowserSession browser;
    private final Pages pages;
    private final RequestOrigin origin;
    private final Clock clock;
    private final ConnectionStore connections;
    private final UpstreamLoginPages upstream;

    public LoginPage(LoginTransactions transactions, RegistryLookups lookups, UserDirectory users,
                     InteractionEngine engine, StepResponder steps, BrowserSession browser, Pages pages,
                     RequestOrigin origin, Clock clock, ConnectionStore connections, UpstreamLoginPages upstream) {
        this.transactions = transactions;
        this.lookups = lookups;
        this.users = users;
        this.engine = engine;
        this.steps = steps;
        this.browser = browser;
        this.pages = pages;
        this.origin = origin;
        this.clock = clock;
        this.connections = connections;
        this.upstream = upstream;
    }

    public void show(Context ctx) {
        String id = ctx.queryParam("state");
        Optional<LoginTransaction> tx = transactions.find(id);
        Optional<Client> client = tx.flatMap(t -> lookups.client(t.outcome().request().clientId()));
        if (tx.isEmpty() || client.isEmpty()) {
            pages.error(ctx, 400, "Login expired", EXPIRED, null);
            return;
        }
        Optional<String> csrf = browser.csrfFor(ctx, tx.get(), id);
        if (csrf.isEmpty()) {
            pages.error(ctx, 400, "Cookies needed", FORM_REJECTED, null);
            return;
        }
        render(ctx, 200, client.get(), tx.get().outcome().returnTo(), id, csrf.get(),
                tx.get().outcome().request().loginHint(), null);
    }

    public void submit(Context ctx) {
        String id = ctx.formParam("state");
        Optional<LoginTransaction> found = transactions.find(id);
        Optional<Client> client = found.flatMap(t -> lookups.client(t.outcome().request().clientId()));
        if (found.isEmpty() || client.isEmpty()) {
            pages.error(ctx, 400, "Login expired", EXPIRED, null);
            return;
        }
        LoginTransaction tx = found.get();
        String csrf = ctx.formParam("csrf");
        if (!browser.csrfValid(ctx, tx, id, csrf)) {
            pages.error(ctx, 403, "Request rejected", FORM_REJECTED, null);
            return;
        }
        String redirectUri = tx.outcome().returnTo();
        String email = trim(ctx.formParam("email"));
        String password = ctx.formParam("password");
        Optional<Connection> realm = homeRealm(email, client.get());
        if (realm.isPresent()) {
            // Auth0 home realm discovery: the email's domain belongs to an enterprise connection; the password
            // typed here is not looked at, the provider asks for its own.
            upstream.toProvider(ctx, new PendingLogin(id, tx), realm.get());
            return;
        }
        if (email.isEmpty() || password == null || password.isEmpty()) {
            render(ctx, 400, client.get(), redirectUri, id, csrf, email, "Enter your email address and password.");
            return;
        }
        if (email.length() > LoginAttempt.MAX_EMAIL_LENGTH || password.length() > LoginAttempt.MAX_PASSWORD_LENGTH) {
            render(ctx, 400, client.get(), redirectUri, id, csrf, email, WRONG_CREDENTIALS);
            return;
        }
        LoginResult result = users.login(new LoginAttempt(UserDirectory.DEFAULT_CONNECTION, email, password,
                origin.clientAddress(ctx), client.get().clientId(), client.get().name(), ctx.userAgent()));
        if (result instanceof LoginResult.Success success) {
            Authentication authentication = browser.logIn(ctx, success.user().userId());
            steps.resumeLoggedIn(ctx, new PendingLogin(id, tx), authentication, engine.resume(tx.outcome(),
                    client.get(), SessionState.loggedIn(authentication, success.user())));
        } else if (result instanceof LoginResult.TooManyAttempts tooMany) {
            long retryAfter = Math.max(1, Duration.between(clock.instant(), tooMany.until()).toSeconds());
            ctx.header("Retry-After", Long.toString(retryAfter));
            ctx.header("X-RateLimit-Limit", Integer.toString(ATTEMPT_LIMIT));
            ctx.header("X-RateLimit-Remaining", "0");
            ctx.header("X-RateLimit-Reset", Long.toString(tooMany.until().getEpochSecond()));
            render(ctx, 429, client.get(), redirectUri, id, csrf, email, "Too many failed login attempts. Wait a "
                    + "while and try again, or ask an administrator to unblock the account.");
        } else if (result instanceof LoginResult.Unavailable) {
            // RFC 9110 §15.6.4: 503 with Retry-After; the password was not checked and nothing counted.
            ctx.header("Retry-After", "5");
            render(ctx, 503, client.get(), redirectUri, id, csrf, email, "Too many people are logging in right "
                    + "now. Wait a few seconds and try again.");
        } else if (result instanceof LoginResult.UserBlocked) {
            render(ctx, 401, client.get(), redirectUri, id, csrf, email,
                    "This account is blocked. Contact your administrator.");
        } else {
            render(ctx, 401, client.get(), redirectUri, id, csrf, email, WRONG_CREDENTIALS);
        }
    }

    private void render(Context ctx, int status, Client client, String redirectUri, String id, String csrf,
                        String email, String error) {
        pages.render(ctx, status, "login.jte", new LoginView(client.name(), id, csrf, email, error,
                        buttons(client, id)), ContentSecurityPolicy.interaction(redirectUri));
    }

    /** The upstream connection enabled for the client whose {@code domain_aliases} hold the email's domain. */
    private Optional<Connection> homeRealm(String email, Client client) {
        int at = email.lastIndexOf('@');
        if (at < 0 || email.length() > LoginAttempt.MAX_EMAIL_LENGTH) {
            return Optional.empty();
        }
        String domain = email.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
        return connections.list().stream()
                .filter(c -> c.upstream() && c.enabledFor(client.clientId()))
                .filter(c -> c.options().get("domain_aliases") instanceof List<?> aliases && aliases.stream()
                        .anyMatch(alias -> alias instanceof String text && text.equalsIgnoreCase(domain)))
                .findFirst();
    }

    /** One button per upstream connection enabled for the client and shown as a button (Auth0 show_as_button). */
    private List<LoginView.Button> buttons(Client client, String id) {
        return connections.list().stream()
                .filter(c -> c.upstream() && c.showAsButton() && c.enabledFor(client.clientId()))
                .map(c -> new LoginView.Button(c.label(), "login/upstream?state=" + id + "&connection="
                        + URLEncoder.encode(c.name(), StandardCharsets.UTF_8)))
                .toList();
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
