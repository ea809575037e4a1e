package dev.latchkey.verifier;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiringCacheTest {

    private final MutableClock clock = new MutableClock();
    private final ExpiringCache<String, String> cache = new ExpiringCache<>(2, clock);

    @Test
    void forgetsEntriesAtTheirExpiry() {
        cache.put("a", "1", Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(9));
        assertThat(cache.get("a")).isEqualTo("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("a")).isNull();
    }

    @Test
    void evictsTheLeastRecentlyUsedBeyondCapacity() {
        cache.put("a", "1", Duration.ofMinutes(1));
        cache.put("b", "2", Duration.ofMinutes(1));
        cache.get("a");
        cache.put("c", "3", Duration.ofMinutes(1));

        assertThat(cache.get("a")).isEqualTo("1");
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("c")).isEqualTo("3");
    }
}
