package dev.latchkey.server.upstream;

/**
 * Whether the {@code state} sent to upstream providers may take the sealed form, which needs no stored row: only
 * once every node on the database reads it. A release that does not would answer "Login expired" to a provider's
 * callback that reached it, so during a rolling upgrade the nodes go on storing the state, which every release
 * reads.
 */
@FunctionalInterface
public interface UpstreamStateForms {

    boolean sealedStatesReadEverywhere();
}
