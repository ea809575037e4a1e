package dev.latchkey.server.registry;

/** How a client's ID tokens are made (Auth0's {@code jwt_configuration}). */
public record JwtConfiguration(int lifetimeInSeconds, String alg, boolean secretEncoded) {

    /** Auth0: ID tokens live 36000 s (10 h) by default. */
    public static final int DEFAULT_LIFETIME = 36_000;
    public static final JwtConfiguration DEFAULT = new JwtConfiguration(DEFAULT_LIFETIME, "RS256", false);
}
