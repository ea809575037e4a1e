package dev.latchkey.server.ui;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.latchkey.server.Rollout;
import dev.latchkey.server.audit.AuditLog;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.http.RequestOrigin;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.identity.IpNetwork;
import dev.latchkey.server.identity.UpstreamSignIn;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.interaction.Authentication;
import dev.latchkey.server.interaction.InteractionEngine;
import dev.latchkey.server.interaction.LoginTransaction;
import dev.latchkey.server.interaction.LoginTransactions;
import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.PendingLogin;
import dev.latchkey.server.interaction.SessionState;
import dev.latchkey.server.interaction.Step;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SealedJson;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.upstream.OidcUpstream;
import dev.latchkey.server.upstream.UpstreamProtocol;
import dev.latchkey.server.upstream.UpstreamException;
import dev.latchkey.server.upstream.UpstreamLogin;
import dev.latchkey.server.upstream.UpstreamLoginStore;
import dev.latchkey.server.upstream.UpstreamUsers;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A login at an upstream provider inside a login transaction: started by {@code /authorize?connection=}, a
 * button of the login page ({@code GET /u/login/upstream}) or an email of a connection's
 * {@code domain_aliases} typed there (home realm discovery), finished at Auth0's {@code /login/callback}, where
 * the transaction resumes as after a password login (consent and the rest unchanged).
 * <p>Rules:
 * <ul>
 *   <li>RFC 9700 §4.7.1, §2.1.1: a fresh {@code state}, {@code nonce} and PKCE S256 verifier per login. The state
 *       is sealed ({@link UpstreamStates}): it carries the login, and the login transaction when no page has
 *       needed it stored yet. While a node of an earlier release uses the database ({@link Rollout}),
 *       the state is 256 random bits kept as a digest and consumed once instead; callbacks of either form are
 *       read.</li>
 *   <li>RFC 6749 §10.12: the callback counts only in the browser that opened the login transaction (its
 *       binding cookie, {@link LoginTransactions}); a state carried to another browser is refused.</li>
 *   <li>The connection must still exist and be enabled for the client when the provider answers.</li>
 *   <li>The provider saying no ({@code error}) ends the transaction with {@code access_denied} for the client
 *       (RFC 6749 §4.1.2.1); an answer that fails a check shows an error page and logs nobody in.</li>
 * </ul>
 */
public final class UpstreamLoginPages {

    /** Time a user has at the provider. */
    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamLoginPages.class);
    /** Marks a form-post callback this server's page posted again (see {@link #formPostCallback}). */
    static final String POSTED_AGAIN = "latchkey_posted_again";

    private final URI callback;
    private final LoginTransactions transactions;
    private final RegistryLookups lookups;
    private final ConnectionStore connections;
    private final UpstreamProtocol upstream;
    private final UpstreamLoginStore logins;
    private final UpstreamStates states;
    private final Rollout forms;
    private final UpstreamUsers users;
    private final InteractionEngine engine;
    private final StepResponder steps;
    private final BrowserSession browser;
    private final Pages pages;
    private final RequestOrigin origin;
    private final Clock clock;
    private final AuditLog log;

    public UpstreamLoginPages(String issuer, LoginTransactions transactions, RegistryLookups lookups,
                              ConnectionStore connections, UpstreamProtocol upstream, UpstreamLoginStore logins,
                              MasterKey stateKey, Rollout forms, UpstreamUsers users, InteractionEngine engine,
                              StepResponder steps, BrowserSession browser, Pages pages, RequestOrigin origin,
                              Clock clock, AuditLog log) {
        this.log = log;
        this.callback = URI.create(issuer + "login/callback");
        this.transactions = transactions;
        this.lookups = lookups;
        this.connections = connections;
        this.upstream = upstream;
        this.logins = logins;
        this.states = new UpstreamStates(stateKey);
        this.forms = forms;
        this.users = users;
        this.engine = engine;
        this.steps = steps;
        this.browser = browser;
        this.pages = pages;
        this.origin = origin;
        this.clock = clock;
    }

    /**
     * From {@code /authorize?connection=}: goes to the provider with a login transaction that is stored only if a
     * page of it follows the provider's answer (carried in the sealed state), or stored now when the state cannot
     * carry it.
     */
    public void begin(Context ctx, Outcome outcome, Connection connection) {
        String binding = browser.binding(ctx);
        PendingLogin draft = transactions.draft(outcome, IpNetwork.of(origin.clientAddress(ctx)), binding);
        browser.keepBinding(ctx, binding);
        toProvider(ctx, draft, connection);
    }

    /** {@code GET /u/login/upstream?state=&connection=}: a button of the login page. */
    public void fromLoginPage(Context ctx) {
        String id = ctx.queryParam("state");
        Optional<LoginTransaction> tx = transactions.find(id);
        Optional<Client> client = tx.flatMap(t -> lookups.client(t.outcome().request().clientId()));
        if (tx.isEmpty() || client.isEmpty()) {
            pages.error(ctx, 400, "Login expired", LoginPage.EXPIRED, null);
            return;
        }
        if (browser.csrfFor(ctx, tx.get(), id).isEmpty()) {
            pages.error(ctx, 403, "Request rejected", LoginPage.FORM_REJECTED, null);
            return;
        }
        String name = ctx.queryParam("connection");
        Optional<Connection> connection = name == null || name.length() > 128 ? Optional.empty()
                : connections.findByName(name).filter(Connection::upstream)
                .filter(c -> c.enabledFor(client.get().clientId()));
        if (connection.isEmpty()) {
            pages.error(ctx, 400, "Unknown connection", "This way of logging in is not available for "
                    + client.get().name() + ".", "error: invalid_request");
            return;
        }
        toProvider(ctx, new PendingLogin(id, tx.get()), connection.get());
    }

    /**
     * Sends the browser of login transaction {@code pending} to {@code connection}'s provider; an unstored
     * transaction is carried in the sealed state, or stored first when it cannot be.
     */
    void toProvider(Context ctx, PendingLogin pending, Connection connection) {
        boolean sealed = forms.newFormsReadEverywhere();
        String rowState = sealed ? null : RandomStrings.base64url(32);
        String nonce = RandomStrings.base64url(32);
        String verifier = new CodeVerifier().getValue();
        UpstreamLogin login = new UpstreamLogin(rowState == null ? null : SecretHash.of(rowState), connection.name(),
                pending.id(), verifier, nonce, clock.instant().plus(LIFETIME));
        Optional<String> carrying = sealed && !pending.stored() ? states.sealCarrying(login, pending)
                : Optional.empty();
        String state = !sealed ? rowState : carrying.orElseGet(() -> states.seal(login));
        URI location;
        try {
            location = upstream.authorizationRequest(connection, callback, state, nonce, verifier);
        } catch (UpstreamException e) {
            LOG.warn("Upstream login through connection {} cannot start: {}", connection.name(), e.getMessage());
            pages.error(ctx, 502, "Identity provider unavailable", "The identity provider of " + connection.label()
                    + " cannot be reached right now. Try again in a moment.", null);
            return;
        }
        if (!pending.stored() && carrying.isEmpty()) {
            transactions.save(pending.transaction());
        }
        if (!sealed) {
            logins.create(login);
        }
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(location.toString(), HttpStatus.FOUND);
    }

    /** {@code GET /login/callback}: the provider's answer in the query. */
    public void callback(Context ctx) {
        finish(ctx, singleValued(ctx.queryParamMap()));
    }

    /**
     * {@code POST /login/callback}: the provider's answer as a form post (Form Post Response Mode §2; Apple). Coming
     * from the provider's page, that POST is cross-site, and the browser leaves out this server's cookies (they are
     * {@code SameSite=Lax}), the binding cookie included. So a post without the binding cookie is answered with a
     * page that posts the same fields again, from this server's own page: a same-site request, which carries the
     * cookies. The second post is marked, and is checked whatever it carries: a browser that sends no cookie at all
     * is refused as any other callback without its binding.
     */
    public void formPostCallback(Context ctx) {
        Map<String, String> params = singleValued(ctx.formParamMap());
        boolean posted = params.remove(POSTED_AGAIN) != null;
        if (!posted && !browser.bound(ctx)) {
            params.put(POSTED_AGAIN, "1");
            ctx.header("Cache-Control", "no-store");
            pages.render(ctx, 200, "form_post.jte", new FormPostView(callback.toString(), params),
                    ContentSecurityPolicy.postAgain());
            return;
        }
        finish(ctx, params);
    }

    /** The callback's answer, wherever it came: {@code params} holds each parameter sent exactly once. */
    private void finish(Context ctx, Map<String, String> params) {
        String state = params.get("state");
        Optional<UpstreamLogin> login = Optional.empty();
        Optional<PendingLogin> carried = Optional.empty();
        if (state != null && state.length() <= UpstreamStates.MAX_LENGTH) {
            if (SealedJson.storedForm(state)) {
                login = logins.consume(SecretHash.of(state), clock.instant());
            } else {
                Optional<UpstreamStates.Opened> opened = states.open(state, clock.instant());
                login = opened.map(UpstreamStates.Opened::login);
                carried = opened.flatMap(UpstreamStates.Opened::carried);
            }
        }
        Optional<PendingLogin> found = carried.isPresent() ? carried : login.flatMap(l ->
                transactions.find(l.transactionId()).map(tx -> new PendingLogin(l.transactionId(), tx)));
        Optional<Client> client = found.flatMap(p -> lookups.client(p.transaction().outcome().request().clientId()));
        if (login.isEmpty() || found.isEmpty() || client.isEmpty()) {
            pages.error(ctx, 400, "Login expired", LoginPage.EXPIRED, null);
            return;
        }
        PendingLogin pending = found.get();
        LoginTransaction tx = pending.transaction();
        if (browser.csrfFor(ctx, tx, pending.id()).isEmpty()) {
            pages.error(ctx, 403, "Request rejected", LoginPage.FORM_REJECTED, null);
            return;
        }
        Optional<Connection> connection = connections.findByName(login.get().connection())
                .filter(Connection::upstream).filter(c -> c.enabledFor(client.get().clientId()));
        if (connection.isEmpty()) {
            pages.error(ctx, 400, "Unknown connection", "This way of logging in is no longer available.",
                    "error: invalid_request");
            return;
        }
        User user;
        OidcUpstream.Login result;
        try {
            result = upstream.finish(connection.get(), params, callback, login.get().nonce(),
                    login.get().codeVerifier());
            user = users.logIn(connection.get(), result, origin.clientAddress(ctx));
        } catch (UpstreamException e) {
            LOG.warn("Upstream login through connection {} failed ({}): {}", connection.get().name(), e.reason(),
                    e.getMessage());
            // Auth0: f = failed login; the message names the check, never a token or code.
            record("f", e.getMessage(), client.get(), null, null, connection.get(), ctx);
            switch (e.reason()) {
                // The token endpoint refusing the code: a stale or replayed callback (the code is single use).
                case PROVIDER_ERROR -> {
                    if (e.grantRefused()) {
                        pages.error(ctx, 400, "Login expired", LoginPage.EXPIRED, null);
                    } else {
                        steps.resume(ctx, pending, new Step.Fail("access_denied", e.getMessage()));
                    }
                }
                case UNREACHABLE, TOO_LARGE -> pages.error(ctx, 502, "Identity provider unavailable",
                        "The identity provider of " + connection.get().label() + " did not answer properly. Go "
                                + "back to the application and try again.", null);
                case INVALID_RESPONSE -> pages.error(ctx, 400, "Login failed", "The identity provider's answer "
                        + "could not be verified. Go back to the application and try again.", null);
            }
            return;
        }
        if (user.blocked()) {
            record("f", "user is blocked", client.get(), user.userId(), user.email(), connection.get(), ctx);
            steps.resume(ctx, pending, new Step.Fail("access_denied", "user is blocked"));
            return;
        }
        record("s", "Successful login", client.get(), user.userId(), user.email(), connection.get(), ctx);
        // The provider's ID token stays with the session, for a federated logout.
        Authentication authentication = browser.logIn(ctx, user.userId(),
                new UpstreamSignIn(connection.get().name(), result.idToken()));
        steps.resumeLoggedIn(ctx, pending, authentication, engine.resume(tx.outcome(), client.get(),
                SessionState.loggedIn(authentication, user)));
    }

    /** The parameters sent exactly once; one sent twice is left out, so that none is chosen between copies. */
    private static Map<String, String> singleValued(Map<String, List<String>> sent) {
        Map<String, String> params = new LinkedHashMap<>();
        sent.forEach((name, values) -> {
            if (values.size() == 1) {
                params.put(name, values.get(0));
            }
        });
        return params;
    }

    private void record(String type, String description, Client client, String userId, String userName,
                        Connection connection, Context ctx) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("strategy", connection.strategy());
        if (ctx.userAgent() != null) {
            details.put("user_agent", ctx.userAgent());
        }
        log.record(new LogEvent(type, description, client.clientId(), client.name(), userId,
                userName == null ? userId : userName, origin.clientAddress(ctx), connection.name(), details));
    }
}
