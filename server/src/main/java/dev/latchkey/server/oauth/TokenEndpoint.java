package dev.latchkey.server.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.audit.AuditLog;
import dev.latchkey.server.audit.LogBudget;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.http.Cors;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.http.RequestOrigin;
import dev.latchkey.server.oauth.grant.Grant;
import dev.latchkey.server.oauth.grant.Granted;
import dev.latchkey.server.token.IssuedTokens;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /oauth/token} (RFC 6749 §3.2), in this order: read and parse the body once into a
 * {@link TokenRequest}; find the grant named by {@code grant_type}; authenticate the client; take the end
 * user's address from a trusted client's {@code auth0-forwarded-for} ({@link EndUserAddress}); let the
 * grant validate and issue; then log the outcome (Auth0's event types), count it, and answer with
 * tokens and {@code no-store} (§5.1) or the error (§5.2).
 */
public final class TokenEndpoint {

    /** Failures of callers without a secret that are logged per client and minute, on each node. */
    static final int UNAUTHENTICATED_FAILURES_LOGGED = 10;
    /** The headers grants may read (Auth0's forwarded-for for the password grants; DPoP to come). */
    private static final List<String> GRANT_HEADERS = List.of("dpop", "auth0-forwarded-for", "user-agent");

    private final ClientAuthenticator authenticator;
    private final RequestOrigin origin;
    private final AuditLog log;
    private final Map<String, Grant> grants = new LinkedHashMap<>();
    private final Map<String, Counter> issued = new LinkedHashMap<>();
    private final LogBudget unauthenticatedFailures = new LogBudget(UNAUTHENTICATED_FAILURES_LOGGED,
            Duration.ofMinutes(1));

    public TokenEndpoint(ClientAuthenticator authenticator, List<Grant> grants, RequestOrigin origin, AuditLog log,
                         MeterRegistry metrics) {
        this.authenticator = authenticator;
        this.origin = origin;
        this.log = log;
        for (Grant grant : grants) {
            this.grants.put(grant.type(), grant);
            this.issued.put(grant.type(), Counter.builder("latchkey_tokens_issued")
                    .description("Token responses issued").tag("grant_type", grant.type()).register(metrics));
        }
    }

    public List<String> grantTypes() {
        return List.copyOf(grants.keySet());
    }

    public void handle(Context ctx) {
        TokenRequest request = TokenRequest.of(TokenRequestBody.read(ctx),
                headers(ctx), origin.clientAddress(ctx));
        Grant grant = grants.get(request.grantType());
        if (grant == null) {
            throw OAuthException.unsupportedGrantType("Unsupported grant type: "
                    + TokenRequest.echo(request.grantType()));
        }
        AuthenticatedClient client = authenticator.authenticate(ctx, request.params());
        request = request.from(EndUserAddress.of(client, request));
        // CORS: only the client's own Allowed Web Origins may read its tokens.
        Cors.restrictTo(ctx, client.client().webOrigins());
        Granted granted;
        try {
            granted = grant.handle(client, request);
        } catch (OAuthException e) {
            logFailure(grant.events(), client, request, e);
            throw e;
        }
        Grant.Events events = grant.events();
        log.record(new LogEvent(events.success(), events.description(), client.client().clientId(),
                client.client().name(), granted.userId(), null, request.clientIp(), null, Map.of()));
        issued.get(request.grantType()).increment();
        write(ctx, granted.tokens());
    }

    /**
     * Anyone can call as a public client: failures without a secret are logged only for a credential
     * of this client, and within a budget, so that they cannot flood the log with 30-day rows.
     */
    private void logFailure(Grant.Events events, AuthenticatedClient client, TokenRequest request, OAuthException e) {
        if (e.routine()) {
            return; // a device polling while its user decides (RFC 8628 §3.5) is no failure
        }
        String type = e.logType() != null ? e.logType() : events.failure();
        String clientId = client.client().clientId();
        if (client.authenticated() || (!e.unknownCredential() && unauthenticatedFailures.allow(clientId))) {
            log.record(new LogEvent(type, e.description(), clientId, client.client().name(), null, null,
                    request.clientIp(), null, Map.of("error", e.code())));
        }
    }

    private static Map<String, String> headers(Context ctx) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : GRANT_HEADERS) {
            String value = ctx.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    /** RFC 6749 §5.1: JSON, {@code Cache-Control: no-store}. */
    private static void write(Context ctx, IssuedTokens tokens) {
        ObjectNode body = Json.object()
                .put("access_token", tokens.accessToken().value());
        if (tokens.issuedTokenType() != null) {
            body.put("issued_token_type", tokens.issuedTokenType()); // RFC 8693 §2.2.1
        }
        body.put("token_type", "Bearer");
        if (tokens.accessToken().expiresIn() > 0) {
            body.put("expires_in", tokens.accessToken().expiresIn());
        }
        if (!tokens.accessToken().scope().isEmpty()) {
            body.put("scope", tokens.accessToken().scope());
        }
        if (tokens.idToken() != null) {
            body.put("id_token", tokens.idToken());
        }
        if (tokens.refreshToken() != null) {
            body.put("refresh_token", tokens.refreshToken());
        }
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        Json.write(ctx, 200, body);
    }
}
