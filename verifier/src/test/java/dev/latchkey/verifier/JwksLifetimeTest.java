package dev.latchkey.verifier;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwksLifetimeTest {

    private final JwksLifetime lifetime = new JwksLifetime(Duration.ofSeconds(60), Duration.ofHours(24),
            Duration.ofMinutes(5));

    @Test
    void followsMaxAgeWithinBounds() {
        assertThat(lifetime.of(Optional.of("public, max-age=600"))).isEqualTo(Duration.ofSeconds(600));
        assertThat(lifetime.of(Optional.of("Max-Age=\"900\""))).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void clampsToTheBounds() {
        assertThat(lifetime.of(Optional.of("max-age=0"))).isEqualTo(Duration.ofSeconds(60));
        assertThat(lifetime.of(Optional.of("no-store"))).isEqualTo(Duration.ofSeconds(60));
        assertThat(lifetime.of(Optional.of("max-age=31536000"))).isEqualTo(Duration.ofHours(24));
        assertThat(lifetime.of(Optional.of("max-age=-5"))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void fallsBackWithoutUsableMaxAge() {
        assertThat(lifetime.of(Optional.empty())).isEqualTo(Duration.ofMinutes(5));
        assertThat(lifetime.of(Optional.of("public"))).isEqualTo(Duration.ofMinutes(5));
        assertThat(lifetime.of(Optional.of("max-age=soon"))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesImpossibleBounds() {
        assertThatThrownBy(() -> new JwksLifetime(Duration.ZERO, Duration.ofHours(1), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JwksLifetime(Duration.ofHours(2), Duration.ofHours(1), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
