package dev.latchkey.server.oauth;

import dev.latchkey.server.token.OwnTokens;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.server.audit.AuditLog;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.http.RequestOrigin;
import dev.latchkey.server.identity.SsoSession;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.ui.BrowserSession;
import dev.latchkey.server.ui.Pages;
import dev.latchkey.server.upstream.FederatedLogout;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Ends the SSO session: Auth0's {@code GET /v2/logout?client_id=&returnTo=} and OpenID Connect
 * RP-Initiated Logout 1.0 at {@code /oidc/logout}. A browser is sent back only to a URL the
 * application lists, exactly, in its {@code allowed_logout_urls}: anything else is an error page,
 * never a redirect (no open redirector, RFC 9700 §4.11). With Auth0's {@code federated} (any value), a
 * session that came from an upstream login goes on to the provider's logout, which returns the browser to
 * that same checked address ({@link FederatedLogout}).
 */
public final class LogoutEndpoints {

    private final RegistryLookups lookups;
    private final BrowserSession browser;
    private final OwnTokens hints;
    private final RequestOrigin origin;
    private final Pages pages;
    private final AuditLog log;
    private final FederatedLogout federatedLogout;

    public LogoutEndpoints(RegistryLookups lookups, BrowserSession browser, OwnTokens hints, RequestOrigin origin,
                           Pages pages, AuditLog log, FederatedLogout federatedLogout) {
        this.federatedLogout = federatedLogout;
        this.lookups = lookups;
        this.browser = browser;
        this.hints = hints;
        this.origin = origin;
        this.pages = pages;
        this.log = log;
    }

    /**
     * {@code GET /v2/logout} (Auth0): returnTo must be in the client's Allowed Logout URLs, or without a
     * client_id in the tenant's.
     */
    public void auth0(Context ctx) {
        String clientId = param(ctx, "client_id");
        String returnTo = param(ctx, "returnTo");
        Optional<Client> client = clientId == null ? Optional.empty() : lookups.client(clientId);
        Optional<SsoSession> session = endSession(ctx, client.orElse(null), null);
        if (returnTo == null) {
            if (!toProvider(ctx, session, null, null)) {
                loggedOut(ctx);
            }
            return;
        }
        if (clientId == null) {
            // Auth0: without a client_id, returnTo must be one of the tenant's Allowed Logout URLs.
            if (!lookups.tenant().allowedLogoutUrls().contains(returnTo)) {
                pages.error(ctx, 400, "Logout URL not allowed", "You are logged out, but the returnTo address is "
                        + "not in the tenant's Allowed Logout URLs (or name the application with client_id).", null);
                return;
            }
        } else if (client.isEmpty()) {
            pages.error(ctx, 400, "Logout URL not allowed", "You are logged out, but the application's return "
                    + "address cannot be used: client_id names no application.", null);
            return;
        } else if (!client.get().allowedLogoutUrls().contains(returnTo)) {
            pages.error(ctx, 400, "Logout URL not allowed", "You are logged out, but the returnTo address is not "
                    + "in the application's Allowed Logout URLs.", null);
            return;
        }
        if (toProvider(ctx, session, returnTo, null)) {
            return;
        }
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(returnTo, HttpStatus.FOUND);
    }

    /** {@code GET|POST /oidc/logout} (OIDC RP-Initiated Logout 1.0 §2, §3). */
    public void oidc(Context ctx) {
        String hint = param(ctx, "id_token_hint");
        String clientId = param(ctx, "client_id");
        String redirect = param(ctx, "post_logout_redirect_uri");
        String state = param(ctx, "state");
        JWTClaimsSet claims = null;
        if (hint != null) {
            claims = hints.idTokenHint(hint).orElse(null);
            if (claims == null) {
                pages.error(ctx, 400, "Logout failed", "The id_token_hint is not an ID token issued here.", null);
                return;
            }
            String audience = claims.getAudience().get(0);
            if (clientId != null && !clientId.equals(audience)) {
                pages.error(ctx, 400, "Logout failed", "client_id does not match the id_token_hint's audience.", null);
                return;
            }
            clientId = audience;
        }
        Optional<Client> client = clientId == null ? Optional.empty() : lookups.client(clientId);
        if (clientId != null && client.isEmpty()) {
            pages.error(ctx, 400, "Logout failed", "Unknown client: " + clientId, null);
            return;
        }
        // §3: post_logout_redirect_uri must have been registered, and the client be known.
        if (redirect != null && (client.isEmpty() || !client.get().allowedLogoutUrls().contains(redirect))) {
            pages.error(ctx, 400, "Logout URL not allowed", "The post_logout_redirect_uri is not in the "
                    + "application's Allowed Logout URLs" + (client.isEmpty() ? ", or no application was named" : "")
                    + ".", null);
            return;
        }
        Optional<SsoSession> session = endSession(ctx, client.orElse(null),
                claims == null ? null : OwnTokens.stringClaim(claims, "sid"));
        if (toProvider(ctx, session, redirect, state)) {
            return;
        }
        if (redirect == null) {
            loggedOut(ctx);
            return;
        }
        String target = state == null ? redirect : redirect + (redirect.contains("?") ? "&" : "?") + "state="
                + URLEncoder.encode(state, StandardCharsets.UTF_8);
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(target, HttpStatus.FOUND);
    }

    private Optional<SsoSession> endSession(Context ctx, Client client, String sid) {
        Optional<SsoSession> session = browser.logOut(ctx, sid);
        if (session.isPresent()) {
            log.record(new LogEvent("slo", "User successfully logged out", client == null ? null : client.clientId(),
                    client == null ? null : client.name(), session.get().userId(), null, origin.clientAddress(ctx),
                    null, Map.of()));
        }
        return session;
    }

    /**
     * Auth0's {@code federated}: sends the browser on to the upstream provider's logout when the ended session came
     * from one, with {@code returnTo} (already checked) and {@code state} for the provider to send it back; false
     * when there is nothing to do there.
     */
    private boolean toProvider(Context ctx, Optional<SsoSession> session, String returnTo, String state) {
        if (session.isEmpty() || !flag(ctx, "federated")) {
            return false;
        }
        URI back;
        try {
            back = returnTo == null ? null : new URI(returnTo);
        } catch (URISyntaxException e) {
            return false;
        }
        Optional<URI> provider = federatedLogout.at(session.get().upstream(), back, state);
        if (provider.isEmpty()) {
            return false;
        }
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(provider.get().toString(), HttpStatus.FOUND);
        return true;
    }

    /** A parameter that counts by being there, with or without a value ({@code ?federated}). */
    private static boolean flag(Context ctx, String name) {
        return ctx.queryParamMap().containsKey(name)
                || ctx.method().name().equals("POST") && ctx.formParamMap().containsKey(name);
    }

    private void loggedOut(Context ctx) {
        pages.message(ctx, "You are logged out", "You can close this window, or go back to the application.");
    }

    private static String param(Context ctx, String name) {
        String value = ctx.method().name().equals("POST") ? ctx.formParam(name) : ctx.queryParam(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
