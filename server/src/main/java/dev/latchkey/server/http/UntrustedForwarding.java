package dev.latchkey.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Warns that {@code X-Forwarded-For} came from a peer outside {@code LATCHKEY_TRUSTED_PROXIES}: the header
 * is ignored, so if that peer is in fact the site's proxy, every browser behind it counts as one address
 * against the per-network limits. Once per peer per {@link #INTERVAL}, not per request, so that a client
 * sending the header cannot flood the log; the header's value is not logged (it is the client's word).
 */
final class UntrustedForwarding {

    static final Duration INTERVAL = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(UntrustedForwarding.class);
    private static final int MAX_PEERS = 10_000;

    private final Cache<String, Boolean> warned;

    UntrustedForwarding() {
        this(INTERVAL, Ticker.systemTicker());
    }

    UntrustedForwarding(Duration interval, Ticker ticker) {
        this.warned = Caffeine.newBuilder().expireAfterWrite(interval).maximumSize(MAX_PEERS).ticker(ticker).build();
    }

    /** Notes a request from {@code peer} carrying {@code X-Forwarded-For}; answers whether it was logged. */
    boolean seen(String peer) {
        if (warned.asMap().putIfAbsent(String.valueOf(peer), Boolean.TRUE) != null) {
            return false;
        }
        LOG.warn("X-Forwarded-For from {} ignored: that peer is not in LATCHKEY_TRUSTED_PROXIES. If it is your "
                + "proxy, list it, or every browser behind it counts as one address in the login limits.", peer);
        return true;
    }
}
