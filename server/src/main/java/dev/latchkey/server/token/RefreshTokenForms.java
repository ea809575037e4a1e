package dev.latchkey.server.token;

/**
 * Whether new refresh tokens may take the family form (see {@link RefreshToken}): only once every node on the
 * database reads it. A release that does not would take a family-form token for an unknown one and sign its
 * user out, so during a rolling upgrade the nodes go on writing the row form, which every release reads.
 */
@FunctionalInterface
public interface RefreshTokenForms {

    boolean familiesReadEverywhere();
}
