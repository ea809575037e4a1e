package dev.latchkey.server.ui;

import dev.latchkey.server.audit.AuditLog;
import dev.latchkey.server.audit.LogBudget;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.http.RateLimitHeaders;
import dev.latchkey.server.http.RequestOrigin;
import dev.latchkey.server.identity.IpNetwork;
import dev.latchkey.server.interaction.InteractionEngine;
import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.SessionState;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.oauth.authorize.CheckedAuthorization;
import dev.latchkey.server.oauth.device.DeviceCode;
import dev.latchkey.server.oauth.device.DeviceCodeStore;
import dev.latchkey.server.oauth.device.UserCodes;
import dev.latchkey.server.ratelimit.ClientFailureThrottle;
import dev.latchkey.server.ratelimit.RateLimitedException;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import io.javalin.http.Context;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /activate} (RFC 8628 §3.3; Auth0's device activation page): the user enters the code their device
 * shows ({@code ?user_code=} pre-fills it, the {@code verification_uri_complete}; the user still presses
 * Continue, so a link alone approves nothing, RFC 8628 §5.4). A live, pending code opens a login transaction
 * that ends in a device approval: the login page if needed, then always the consent page, which names the
 * application and the scopes for the user to confirm, then a done page.
 * <p>Rules:
 * <ul>
 *   <li>the form is posted from this server's own pages (fetch metadata or {@code Origin}, when sent);</li>
 *   <li>wrong entries are throttled per network ({@link #WRONG_ENTRIES}, shared by the nodes on PostgreSQL):
 *       once spent, every entry is refused (429) before any code is looked at (RFC 8628 §5.1);</li>
 *   <li>a code that is unknown, expired, or already approved or declined reads as wrong: a user code is single
 *       use, and a second user cannot take over a code someone approved.</li>
 * </ul>
 */
public final class ActivatePage {

    /**
     * Wrong user-code entries per network: 10 at once, then 10 an hour. In the 15 minutes a code lives one network
     * gets at most 12 guesses at a code space of 20^8 ≈ 2.56 × 10^10: about 5 × 10^-10 per code targeted, and with
     * 10,000 codes pending at once about 6 × 10^-6 per network and day of guessing.
     */
    public static final String WRONG_ENTRIES = "10,10/h";
    static final String WRONG_CODE = "That code is not valid. Check the code on your device and try again.";
    public static final String TOO_MANY = "Too many wrong codes from your network. Wait a while and try again.";

    private final RegistryLookups lookups;
    private final DeviceCodeStore codes;
    private final ClientFailureThrottle wrongEntries;
    private final InteractionEngine engine;
    private final StepResponder steps;
    private final BrowserSession browser;
    private final Pages pages;
    private final RequestOrigin origin;
    private final AuditLog log;
    private final String ownOrigin;
    private final Clock clock;
    private final LogBudget failuresLogged = new LogBudget(10, Duration.ofMinutes(1));

    public ActivatePage(String issuer, RegistryLookups lookups, DeviceCodeStore codes,
                        ClientFailureThrottle wrongEntries, InteractionEngine engine, StepResponder steps,
                        BrowserSession browser, Pages pages, RequestOrigin origin, AuditLog log, Clock clock) {
        this.lookups = lookups;
        this.codes = codes;
        this.wrongEntries = wrongEntries;
        this.engine = engine;
        this.steps = steps;
        this.browser = browser;
        this.pages = pages;
        this.origin = origin;
        this.log = log;
        this.ownOrigin = originOf(issuer);
        this.clock = clock;
    }

    public void show(Context ctx) {
        String typed = ctx.queryParam("user_code");
        String prefill = typed == null ? "" : UserCodes.canonical(typed).orElse("");
        render(ctx, 200, prefill, null);
    }

    public void submit(Context ctx) {
        if (!fromOwnPage(ctx)) {
            pages.error(ctx, 403, "Request rejected", "The form was not sent from this site.", null);
            return;
        }
        String typed = ctx.formParam("user_code");
        String shown = typed == null ? "" : typed.trim();
        shown = shown.length() > 20 ? shown.substring(0, 20) : shown;
        String network = IpNetwork.of(origin.clientAddress(ctx));
        try {
            wrongEntries.admit(network);
            Optional<DeviceCode> code = UserCodes.canonical(typed)
                    .flatMap(canonical -> codes.findByUserCode(SecretHash.of(canonical)))
                    .filter(c -> c.status() == DeviceCode.Status.PENDING && !c.expired(clock.instant()));
            Optional<Client> client = code.flatMap(c -> lookups.client(c.clientId()));
            if (code.isEmpty() || client.isEmpty()) {
                wrong(ctx, network, shown);
                return;
            }
            Outcome outcome = new Outcome.DeviceApproval(request(code.get()), code.get().id());
            steps.begin(ctx, outcome, engine.resume(outcome, client.get(),
                    SessionState.of(browser.authentication(ctx))));
        } catch (RateLimitedException e) {
            RateLimitHeaders.write(ctx, e.quota());
            render(ctx, 429, shown, TOO_MANY);
        }
    }

    /**
     * True unless a browser says the form came from elsewhere: {@code Sec-Fetch-Site} other than
     * {@code same-origin}, or without it an {@code Origin} that is not ours. Browsers send {@code Origin: null}
     * under {@code Referrer-Policy: no-referrer}, so the fetch metadata decides when it is there.
     */
    private boolean fromOwnPage(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin") || site.equals("none");
        }
        String sentFrom = ctx.header("Origin");
        return sentFrom == null || sentFrom.toLowerCase(Locale.ROOT).equals(ownOrigin);
    }

    /** Counts a wrong entry against the network (a 429 once spent), logs it (Auth0's fdeac) and says so. */
    private void wrong(Context ctx, String network, String shown) {
        if (failuresLogged.allow(network)) {
            log.record(new LogEvent("fdeac", "Failed device activation: invalid user code", null, null, null, null,
                    origin.clientAddress(ctx), null, Map.of()));
        }
        wrongEntries.failed(network);
        render(ctx, 400, shown, WRONG_CODE);
    }

    /**
     * The device's request as the login and consent pages carry it: its client, scopes and audience, and
     * {@code prompt=consent}, so that the user always confirms what the device gets.
     */
    private static CheckedAuthorization request(DeviceCode code) {
        return new CheckedAuthorization(code.clientId(), null, List.of(), null, null, null, code.scopes(),
                code.audience(), null, null, List.of("consent"), null, null, List.of(), false);
    }

    private void render(Context ctx, int status, String userCode, String error) {
        pages.render(ctx, status, "activate.jte", new ActivateView(userCode, error));
    }

    private static String originOf(String issuer) {
        URI uri = URI.create(issuer);
        return (uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()))
                .toLowerCase(Locale.ROOT);
    }
}
