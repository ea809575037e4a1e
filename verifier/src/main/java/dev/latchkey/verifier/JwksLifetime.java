package dev.latchkey.verifier;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How long a fetched JWKS is fresh: the response's {@code Cache-Control: max-age} (RFC 9111 §5.2.2.1),
 * clamped to bounds so that {@code max-age=0} cannot turn every request into a fetch and a year-long max-age
 * cannot keep a revoked key forever.
 */
record JwksLifetime(Duration min, Duration max, Duration fallback) {

    JwksLifetime {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("JWKS cache bounds must satisfy 0 < min <= max");
        }
        fallback = clamp(fallback, min, max);
    }

    Duration of(Optional<String> cacheControl) {
        return cacheControl.flatMap(JwksLifetime::maxAge).map(age -> clamp(age, min, max)).orElse(fallback);
    }

    private static Optional<Duration> maxAge(String cacheControl) {
        for (String directive : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
            String d = directive.trim();
            if (d.equals("no-store") || d.equals("no-cache")) {
                return Optional.of(Duration.ZERO);
            }
            if (d.startsWith("max-age=")) {
                String seconds = d.substring("max-age=".length()).replace("\"", "");
                try {
                    return Optional.of(Duration.ofSeconds(Long.parseLong(seconds)));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Duration clamp(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }
}
