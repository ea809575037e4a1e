package dev.latchkey.server.audit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many events of one kind a key (e.g. a client id) may add to the log per window, on this node.
 * For events anyone can cause without credentials: each is a row kept for
 * {@link QueuedAuditLog#RETENTION}, so their number must be bounded; the ones over budget are dropped.
 */
public final class LogBudget {

    private final int perWindow;
    private final Cache<String, AtomicInteger> counts;

    public LogBudget(int perWindow, Duration window) {
        this.perWindow = perWindow;
        // Fixed windows: a key's count is created with its first event and dropped a window later.
        this.counts = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(10_000).build();
    }

    /** True when one more event for {@code key} fits in the current window (and counts it). */
    public boolean allow(String key) {
        return counts.get(key, k -> new AtomicInteger()).incrementAndGet() <= perWindow;
    }
}
