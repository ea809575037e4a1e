package dev.latchkey.server.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The written form of a limit, {@code <burst>,<refill>/<s|min|h>}, and the defaults it documents. */
class RateLimitTest {

    @Test
    void readsBurstRefillAndPeriod() {
        assertThat(RateLimit.parse("X", "300,100/s")).isEqualTo(new RateLimit(300, 100, Duration.ofSeconds(1)));
        assertThat(RateLimit.parse("X", " 20, 10/MIN ")).isEqualTo(new RateLimit(20, 10, Duration.ofMinutes(1)));
        assertThat(RateLimit.parse("X", "5,1/h")).isEqualTo(new RateLimit(5, 1, Duration.ofHours(1)));
        assertThat(RateLimit.parse("X", "20,10/min")).hasToString("20,10/min");
    }

    @Test
    void refusesWhatItCannotRead() {
        for (String bad : new String[] {"", "300", "300/s", ",1/s", "0,1/s", "1,0/s", "-1,1/s", "1,1/day", "a,1/s"}) {
            assertThatThrownBy(() -> RateLimit.parse("LATCHKEY_RATE_LIMIT_ADDRESS", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("LATCHKEY_RATE_LIMIT_ADDRESS");
        }
    }

    @Test
    void unsetSettingsKeepTheDefaults() {
        RateLimits limits = RateLimits.of(null, " ", "3,1/min", null);

        assertThat(limits.address()).isEqualTo(RateLimits.DEFAULTS.address());
        assertThat(limits.client()).isEqualTo(RateLimits.DEFAULTS.client());
        assertThat(limits.clientFailures()).isEqualTo(new RateLimit(3, 1, Duration.ofMinutes(1)));
        // The defaults never hold back the benchmarked 3,000-5,000 client-credentials tokens/s of one client.
        assertThat(RateLimits.DEFAULTS.client().refill()).isGreaterThanOrEqualTo(5_000);
    }
}
