package dev.latchkey.server.token;

import java.util.function.Consumer;

/**
 * Tells every node what was revoked, so that the caches of opaque tokens and authorizations drop
 * it at once instead of after their time to live. One node (H2, embedded) needs no bus;
 * PostgreSQL nodes use LISTEN/NOTIFY.
 */
public interface RevocationBus {

    /** Sends the revoked keys to the other nodes (this node has already forgotten them). */
    void publish(AuthorizationStore.Revoked revoked);

    /**
     * Calls {@code listener} with what other nodes revoked, and {@code missedSome} when the bus may have
     * lost messages (a broken connection), so that the caches are emptied instead.
     */
    void subscribe(Consumer<AuthorizationStore.Revoked> listener, Runnable missedSome);

    /** The bus of a single node: nothing to tell. */
    RevocationBus LOCAL = new RevocationBus() {
        @Override
        public void publish(AuthorizationStore.Revoked revoked) {
        }

        @Override
        public void subscribe(Consumer<AuthorizationStore.Revoked> listener, Runnable missedSome) {
        }
    };
}
