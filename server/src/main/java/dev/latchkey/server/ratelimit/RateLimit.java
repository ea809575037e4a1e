package dev.latchkey.server.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

import java.time.Duration;
import java.util.Locale;

/**
 * One token bucket, as Auth0 describes its limits: {@code burst} requests at once, refilled at
 * {@code refill} requests per {@code period}. Written {@code <burst>,<refill>/<s|min|h>}, e.g.
 * {@code 300,100/s}.
 */
public record RateLimit(long burst, long refill, Duration period) {

    public RateLimit {
        if (burst < 1 || refill < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("A rate limit needs a burst and a refill of at least 1");
        }
    }

    /** Parses {@code <burst>,<refill>/<s|min|h>}; {@code name} is the setting, for the error message. */
    public static RateLimit parse(String name, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        int comma = text.indexOf(',');
        int slash = text.indexOf('/');
        if (comma < 1 || slash < comma + 2) {
            throw new IllegalArgumentException(name + " must look like 300,100/s (burst, then refill per s, min or h), got "
                    + value);
        }
        Duration period = switch (text.substring(slash + 1)) {
            case "s" -> Duration.ofSeconds(1);
            case "min" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> throw new IllegalArgumentException(name + ": the refill period must be s, min or h, got " + value);
        };
        try {
            return new RateLimit(Long.parseLong(text.substring(0, comma)),
                    Long.parseLong(text.substring(comma + 1, slash)), period);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must look like 300,100/s, got " + value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage() + ", got " + value);
        }
    }

    /** Greedy refill: tokens come back continuously, not in one lump per period. */
    Bandwidth bandwidth() {
        return Bandwidth.builder().capacity(burst).refillGreedy(refill, period).build();
    }

    BucketConfiguration configuration() {
        return BucketConfiguration.builder().addLimit(bandwidth()).build();
    }

    /** Nanoseconds until a bucket holding {@code remaining} tokens is full again. */
    long nanosUntilFull(long remaining) {
        long missing = Math.max(0, burst - remaining);
        return (long) Math.ceil((double) missing * period.toNanos() / refill);
    }

    /** Nanoseconds until one more token comes back. */
    long nanosPerToken() {
        return (long) Math.ceil((double) period.toNanos() / refill);
    }

    @Override
    public String toString() {
        long seconds = period.toSeconds();
        String unit = seconds == 1 ? "s" : seconds == 60 ? "min" : seconds == 3600 ? "h" : period.toString();
        return burst + "," + refill + "/" + unit;
    }
}
