package dev.latchkey.server;

/**
 * Whether this node may hand out values that only this release reads: refresh tokens in the family form, sealed
 * upstream login states, sealed authorization codes and sealed opaque access tokens. A node of an earlier release
 * would take any of them for an unknown one (signing a user out, or failing a login halfway), so during a rolling
 * upgrade the nodes go on handing out the forms every release reads, and switch once every node on the database
 * is of this release ({@link dev.latchkey.server.store.ReleaseGate}). Values of either form are read at all times.
 */
@FunctionalInterface
public interface Rollout {

    boolean newFormsReadEverywhere();
}
