package dev.latchkey.server.oauth.device;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.audit.AuditLog;
import dev.latchkey.server.audit.LogBudget;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.http.RequestOrigin;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.oauth.AuthenticatedClient;
import dev.latchkey.server.oauth.ClientAuthenticator;
import dev.latchkey.server.oauth.OAuthException;
import dev.latchkey.server.oauth.TokenRequest;
import dev.latchkey.server.oauth.TokenRequestBody;
import dev.latchkey.server.oauth.UserTokenScopes;
import dev.latchkey.server.oauth.grant.DeviceCodeGrant;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /oauth/device/code} (RFC 8628 §3.1, §3.2; Auth0 §1.5). The rules, in the order they run:
 * <pre>
 *   client        authenticates as at the token endpoint: a public client names itself,   401 invalid_client
 *                 a confidential one proves its secret (RFC 8628 §3.1)
 *   grant         the client's grant_types include the device code grant (Auth0)         403 unauthorized_client
 *   audience      audience (or resource) names a registered API, or /userinfo only       403 access_denied
 *   scope         what a user token may carry; the rest is dropped, not refused (Auth0)
 * </pre>
 * Then a device code (256 random bits) and a user code ({@link UserCodes}) are drawn and stored as digests, and
 * the answer names the verification URI, with the code in {@code verification_uri_complete} (§3.3.1),
 * {@code expires_in} 900 and {@code interval} 5 (Auth0's). Refusals are logged as Auth0's {@code fdeaz}, within
 * a budget per client, since anyone may call as a public client.
 */
public final class DeviceAuthorizationEndpoint {

    /** Auth0: a user code expires after 15 minutes. */
    public static final Duration LIFETIME = Duration.ofMinutes(15);
    /** RFC 8628 §3.2: 5 seconds when the server says nothing; Auth0 says 5. */
    public static final int INTERVAL_SECONDS = 5;
    /** How long a row outlives its code, so that a late poll gets expired_token rather than invalid_grant. */
    static final Duration KEPT_AFTER_EXPIRY = Duration.ofHours(1);
    static final int FAILURES_LOGGED_PER_MINUTE = 10;
    private static final int USER_CODE_DRAWS = 5;

    private final String issuer;
    private final String userinfoAudience;
    private final ClientAuthenticator authenticator;
    private final RegistryLookups lookups;
    private final DeviceCodeStore codes;
    private final AuditLog log;
    private final RequestOrigin origin;
    private final Clock clock;
    private final LogBudget failuresLogged = new LogBudget(FAILURES_LOGGED_PER_MINUTE, Duration.ofMinutes(1));

    public DeviceAuthorizationEndpoint(String issuer, String userinfoAudience, ClientAuthenticator authenticator,
                                       RegistryLookups lookups, DeviceCodeStore codes, AuditLog log,
                                       RequestOrigin origin, Clock clock) {
        this.issuer = issuer;
        this.userinfoAudience = userinfoAudience;
        this.authenticator = authenticator;
        this.lookups = lookups;
        this.codes = codes;
        this.log = log;
        this.origin = origin;
        this.clock = clock;
    }

    /** Where the user enters the code (RFC 8628 §3.2 verification_uri; Auth0's path). */
    public String verificationUri() {
        return issuer + "activate";
    }

    public void handle(Context ctx) {
        Map<String, String> params = TokenRequestBody.read(ctx);
        AuthenticatedClient caller = authenticator.authenticate(ctx, params);
        Client client = caller.client();
        List<String> scopes;
        ResourceServer api;
        try {
            if (!client.allowsGrant(DeviceCodeGrant.TYPE)) {
                throw OAuthException.unauthorizedClient("Grant type '" + DeviceCodeGrant.TYPE
                        + "' not allowed for the client.");
            }
            api = api(params);
            scopes = UserTokenScopes.kept(value(params, "scope"), api);
        } catch (OAuthException e) {
            if (caller.authenticated() || failuresLogged.allow(client.clientId())) {
                log.record(new LogEvent("fdeaz", e.description(), client.clientId(), client.name(), null, null,
                        origin.clientAddress(ctx), null, Map.of("error", e.code())));
            }
            throw e;
        }
        String deviceCode = RandomStrings.base64url(32);
        String userCode = store(client, deviceCode, scopes, api);
        ObjectNode body = Json.object()
                .put("device_code", deviceCode)
                .put("user_code", userCode)
                .put("verification_uri", verificationUri())
                .put("verification_uri_complete", verificationUri() + "?user_code="
                        + URLEncoder.encode(userCode, StandardCharsets.UTF_8))
                .put("expires_in", LIFETIME.toSeconds())
                .put("interval", INTERVAL_SECONDS);
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        Json.write(ctx, 200, body);
    }

    /** Stores the code under a fresh user code, drawing again on the rare clash with a live one. */
    private String store(Client client, String deviceCode, List<String> scopes, ResourceServer api) {
        Instant now = clock.instant();
        for (int draw = 0; draw < USER_CODE_DRAWS; draw++) {
            String userCode = UserCodes.generate();
            DeviceCode code = new DeviceCode("dc_" + RandomStrings.alphanumeric(24), SecretHash.of(deviceCode),
                    SecretHash.of(userCode), client.clientId(), scopes, api == null ? null : api.identifier(),
                    DeviceCode.Status.PENDING, null, INTERVAL_SECONDS, null, false, now, now.plus(LIFETIME),
                    now.plus(LIFETIME).plus(KEPT_AFTER_EXPIRY));
            if (codes.create(code)) {
                return userCode;
            }
        }
        throw new IllegalStateException("No free user code after " + USER_CODE_DRAWS + " draws");
    }

    /** Auth0 §1.5: {@code audience}, or {@code resource}; none, or /userinfo's, for a token good only at /userinfo. */
    private ResourceServer api(Map<String, String> params) {
        String audience = value(params, "audience");
        if (audience.isEmpty()) {
            audience = value(params, "resource");
        }
        if (audience.isEmpty() || audience.equals(userinfoAudience)) {
            return null;
        }
        String named = audience;
        return lookups.api(named).orElseThrow(() ->
                OAuthException.accessDenied("Service not enabled within domain: " + TokenRequest.echo(named)));
    }

    private static String value(Map<String, String> params, String name) {
        String value = params.get(name);
        return value == null ? "" : value.trim();
    }
}
