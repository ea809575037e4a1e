package dev.latchkey.verifier;

import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The issuer's JWKS, found through discovery and kept fresh:
 * <ul>
 *   <li>cached for the response's {@code Cache-Control} max-age, within bounds, and refetched in the
 *       background before it goes stale, so requests do not wait on the network;</li>
 *   <li>an unknown {@code kid} refetches at most once per {@code refetchInterval} (counting every fetch), so a
 *       flood of forged kids costs the issuer at most one request per interval;</li>
 *   <li>when a fetch fails the keys already held keep working until a fetch succeeds.</li>
 * </ul>
 */
final class RemoteJwks implements KeySource {

    private static final Logger log = LoggerFactory.getLogger(RemoteJwks.class);
    /** Refresh when this share of the lifetime has passed, ahead of expiry. */
    private static final double REFRESH_AT = 0.8;

    private final IssuerDiscovery discovery;
    private final IssuerHttp http;
    private final JwksLifetime lifetime;
    private final Duration refetchInterval;
    private final Clock clock;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private final ScheduledExecutorService refresher;

    private volatile SigningKeys keys;
    /** Guarded by fetchLock. */
    private Instant lastAttempt;
    /** Guarded by fetchLock. */
    private ScheduledFuture<?> pendingRefresh;

    RemoteJwks(IssuerDiscovery discovery, IssuerHttp http, JwksLifetime lifetime, Duration refetchInterval,
               Clock clock) {
        this.discovery = discovery;
        this.http = http;
        this.lifetime = lifetime;
        this.refetchInterval = refetchInterval;
        this.clock = clock;
        this.refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "latchkey-jwks-refresh");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public SigningKeys current() throws TokenVerificationException {
        SigningKeys held = keys;
        return held != null ? held : afterUnknownKid(null);
    }

    @Override
    public SigningKeys afterUnknownKid(SigningKeys seen) throws TokenVerificationException {
        fetchLock.lock();
        try {
            SigningKeys held = keys;
            if (held != seen) {
                return held; // another thread fetched while this one waited
            }
            if (lastAttempt != null && clock.instant().isBefore(lastAttempt.plus(refetchInterval))) {
                return orUnreachable(held);
            }
            fetch();
            return orUnreachable(keys);
        } finally {
            fetchLock.unlock();
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }

    private static SigningKeys orUnreachable(SigningKeys held) throws TokenVerificationException {
        if (held == null) {
            throw new TokenVerificationException(TokenVerificationException.Reason.ISSUER_UNREACHABLE,
                    "The issuer's signing keys could not be fetched");
        }
        return held;
    }

    /** Fetches once, keeps the old keys on failure, and schedules the next background refresh. */
    private void fetch() {
        lastAttempt = clock.instant();
        Duration next;
        try {
            IssuerDiscovery.Metadata metadata = discovery.metadata();
            IssuerHttp.Response response = http.get(metadata.jwksUri());
            if (response.status() != 200) {
                throw new IOException(metadata.jwksUri() + " answered HTTP " + response.status());
            }
            SigningKeys fetched = SigningKeys.from(JWKSet.parse(response.body()));
            if (fetched.isEmpty()) {
                throw new IOException(metadata.jwksUri() + " holds no usable signing key");
            }
            keys = fetched;
            Duration ttl = lifetime.of(response.cacheControl());
            next = Duration.ofMillis((long) (ttl.toMillis() * REFRESH_AT));
            log.debug("Fetched {} signing keys from {}; fresh for {}", fetched.size(), metadata.jwksUri(), ttl);
        } catch (IOException | ParseException | RuntimeException e) {
            // RuntimeException too: a JWKS Nimbus chokes on must not end the refresh loop.
            next = lifetime.min();
            log.warn("Could not refresh the issuer's signing keys ({}); {} and retrying in {}", e.getMessage(),
                    keys == null ? "no keys held yet" : "keeping the keys held", next);
        }
        schedule(next);
    }

    /** Keeps exactly one refresh pending: a fetch triggered by an unknown kid replaces the scheduled one. */
    private void schedule(Duration delay) {
        if (pendingRefresh != null) {
            pendingRefresh.cancel(false);
        }
        try {
            pendingRefresh = refresher.schedule(this::refreshInBackground, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            pendingRefresh = null; // close() ran: no more refreshes
        }
    }

    private void refreshInBackground() {
        fetchLock.lock();
        try {
            fetch();
        } finally {
            fetchLock.unlock();
        }
    }
}
