package dev.latchkey.server.identity;

/**
 * Argon2id cost parameters: memory in KiB, iterations (passes) and parallelism (lanes).
 * {@link #OWASP} is the production default (OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1).
 */
public record Argon2Cost(int memoryKib, int iterations, int parallelism) {

    public static final Argon2Cost OWASP = new Argon2Cost(19_456, 2, 1);

    public Argon2Cost {
        // RFC 9106 §3.1: memory at least 8 KiB per lane, at least one pass and one lane.
        if (parallelism < 1 || iterations < 1 || memoryKib < 8 * parallelism) {
            throw new IllegalArgumentException("Invalid Argon2 cost m=" + memoryKib + ",t=" + iterations
                    + ",p=" + parallelism);
        }
    }

    /** True when {@code other} costs less than this in any dimension (a hash worth upgrading). */
    boolean weakerThanThis(Argon2Cost other) {
        return other.memoryKib < memoryKib || other.iterations < iterations;
    }
}
