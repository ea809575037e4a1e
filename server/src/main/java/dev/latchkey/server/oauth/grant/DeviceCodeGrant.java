package dev.latchkey.server.oauth.grant;

import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.oauth.AuthenticatedClient;
import dev.latchkey.server.oauth.OAuthException;
import dev.latchkey.server.oauth.TokenRequest;
import dev.latchkey.server.oauth.device.DeviceCode;
import dev.latchkey.server.oauth.device.DeviceCodeStore;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.token.Authorization;
import dev.latchkey.server.token.Revocations;
import dev.latchkey.server.token.TokenIssuer;
import dev.latchkey.server.token.UserTokenRequest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The device code grant (RFC 8628 §3.4, §3.5; Auth0 §1.5), in this order:
 * <ol>
 *   <li>the client may use this grant (its {@code grant_types}): 403 {@code unauthorized_client};</li>
 *   <li>{@code device_code} is there: 400 {@code invalid_request};</li>
 *   <li>it names a code issued to this client: else 400 {@code invalid_grant}, as for an unknown one;</li>
 *   <li>it was not exchanged yet (400 {@code invalid_grant}) and lives: past its lifetime the first poll gets
 *       403 {@code expired_token}, later ones {@code invalid_grant} (Auth0);</li>
 *   <li>the user declined: 403 {@code access_denied};</li>
 *   <li>still pending: 429 {@code slow_down} when polled before the interval has passed since the last accepted
 *       poll, the interval then growing by 5 s for this code (once per accepted poll); else 403
 *       {@code authorization_pending};</li>
 *   <li>approved: consumed atomically (single use), then the issuer issues from the approval's authorization as
 *       for a code: RBAC, an ID token with {@code openid}, a refresh token with {@code offline_access} where the
 *       API allows it. A code exchanged twice revokes what it gave (as RFC 6749 §4.1.2 does for codes).</li>
 * </ol>
 * The 403 and 429 statuses are Auth0's; RFC 8628 §3.5 uses RFC 6749 §5.2's 400.
 * <p>A device that keeps polling too fast, after its interval already grew in this window, is answered
 * {@code slow_down} from this node's memory of the window, without reading the database: hammering costs a
 * lookup in a bounded map. The database stays the judge of every other answer, on every node.
 */
public final class DeviceCodeGrant implements Grant {

    public static final String TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    /** RFC 8628 §3.5: slow_down adds 5 seconds to the interval. */
    public static final int SLOW_DOWN_SECONDS = 5;
    private static final String INVALID = "Invalid or expired device code.";
    private static final Events EVENTS = new Events("sede", "fede", "Device Code for Access Token");

    private final DeviceCodeStore codes;
    private final RegistryLookups lookups;
    private final UserDirectory users;
    private final TokenIssuer issuer;
    private final Revocations revocations;
    private final Clock clock;
    /** client_id + device code digest → the window in which more polls are too soon, once its interval grew. */
    private final Cache<String, Window> windows = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();

    public DeviceCodeGrant(DeviceCodeStore codes, RegistryLookups lookups, UserDirectory users, TokenIssuer issuer,
                           Revocations revocations, Clock clock) {
        this.codes = codes;
        this.lookups = lookups;
        this.users = users;
        this.issuer = issuer;
        this.revocations = revocations;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Events events() {
        return EVENTS;
    }

    @Override
    public Granted handle(AuthenticatedClient caller, TokenRequest request) {
        Client client = caller.client();
        Grant.requireEnabled(client, TYPE);
        String hash = SecretHash.of(request.required("device_code"));
        Instant now = clock.instant();
        Window window = windows.getIfPresent(client.clientId() + ' ' + hash);
        if (window != null && now.isBefore(window.notBefore())) {
            throw slowDown(window.intervalSeconds());
        }
        // RFC 8628 §3.4: the code must have been issued to this client; another client's looks unknown.
        DeviceCode code = codes.findByDeviceCode(hash).filter(c -> c.clientId().equals(client.clientId()))
                .orElseThrow(() -> invalidGrant(INVALID).aboutUnknownCredential());
        if (code.status() == DeviceCode.Status.USED) {
            throw replayed(code);
        }
        if (code.status() == DeviceCode.Status.EXPIRED) {
            throw invalidGrant(INVALID);
        }
        if (code.expired(now)) {
            // Auth0: expired_token once, invalid_grant after.
            throw codes.expire(hash) ? OAuthException.expiredToken("The device code has expired; start again.")
                    : invalidGrant(INVALID);
        }
        return switch (code.status()) {
            case DENIED -> throw OAuthException.accessDenied("The user declined the request on this device.");
            case PENDING -> throw pending(code, now);
            case APPROVED -> issue(client, consume(hash, client));
            default -> throw invalidGrant(INVALID);
        };
    }

    /** RFC 8628 §3.5: authorization_pending, or slow_down for a poll within the interval. */
    private OAuthException pending(DeviceCode code, Instant now) {
        Instant previous = code.polledAt();
        boolean tooSoon = previous != null && now.isBefore(previous.plusSeconds(code.intervalSeconds()));
        if (!tooSoon && codes.polled(code.deviceCodeHash(), previous, now)) {
            return OAuthException.authorizationPending("User has yet to authorize device code.");
        }
        // Too soon, or another poll of this code was accepted just now: the interval grows once per window.
        int interval = code.intervalSeconds();
        if (!code.slowed()) {
            codes.slowDown(code.deviceCodeHash(), previous, interval + SLOW_DOWN_SECONDS);
            interval += SLOW_DOWN_SECONDS;
        }
        if (previous != null) {
            windows.put(code.clientId() + ' ' + code.deviceCodeHash(),
                    new Window(previous.plusSeconds(interval), interval));
        }
        return slowDown(code.intervalSeconds());
    }

    private static OAuthException slowDown(int interval) {
        return OAuthException.slowDown("You are polling faster than the specified interval of " + interval
                + " seconds.");
    }

    /** Polls before {@code notBefore} are too soon; the interval has grown to {@code intervalSeconds}. */
    private record Window(Instant notBefore, int intervalSeconds) {
    }

    private DeviceCode consume(String hash, Client client) {
        DeviceCodeStore.Consumed consumed = codes.consume(hash, client.clientId())
                .orElseThrow(() -> invalidGrant(INVALID));
        if (consumed instanceof DeviceCodeStore.Consumed.Replayed replayed) {
            throw replayed(replayed.code());
        }
        return consumed.code();
    }

    /** Used twice: refused, and what it gave is revoked, since the device code may have leaked. */
    private OAuthException replayed(DeviceCode code) {
        if (code.approval() != null && code.approval().authorizationId() != null) {
            revocations.authorization(code.approval().authorizationId());
        }
        return invalidGrant(INVALID + " It was already used.");
    }

    private Granted issue(Client client, DeviceCode code) {
        DeviceCode.Approval approval = code.approval();
        ResourceServer api = null;
        if (code.audience() != null) {
            api = lookups.api(code.audience()).orElseThrow(() ->
                    OAuthException.accessDenied("Service not enabled within domain: " + code.audience()));
        }
        User user = users.findById(approval.userId()).orElseThrow(() -> invalidGrant(INVALID));
        if (user.blocked()) {
            throw OAuthException.accessDenied("user is blocked");
        }
        Authorization authorization = new Authorization(approval.authorizationId(), user.userId(),
                client.clientId(), code.audience(), approval.scopes(), approval.sid(), approval.authTime(), null,
                code.issuedAt(), code.validUntil());
        // Auth0 puts no gty in device-flow tokens.
        return new Granted(issuer.forUser(UserTokenRequest.atTokenEndpoint(authorization, client, api, user, null)),
                user.userId());
    }

    private static OAuthException invalidGrant(String description) {
        // RFC 6749 §5.2: invalid_grant is a 400.
        return OAuthException.invalidGrant(description, 400);
    }
}
