package dev.latchkey.bench;

import java.util.HashSet;
import java.util.Set;

/**
 * One node behind {@link RoundRobinProxy}: whether it is in the rotation, and the ids of the requests in flight
 * on it. A request is in flight from the moment the proxy picks the node (before it connects) until it has the
 * node's whole answer or the attempt failed. {@link #kill} takes the node out of the rotation, takes the ids
 * and sends SIGKILL under the same lock as {@link #enter} and {@link #leave}, so the ids are exactly the
 * requests in flight at the signal: none can join once it is out, none can leave between the ids and the signal.
 */
final class Backend {

    /** How an attempt on this node ended. */
    enum Outcome {
        /** The node's whole answer arrived. */
        ANSWERED,
        /** The connection was refused: nothing was sent, the request went to the next node. */
        REFUSED,
        /** The connection broke once open: the proxy answered 502. */
        FAILED
    }

    final int port;
    private final Set<Long> inFlight = new HashSet<>();
    private boolean inRotation = true;
    /** The last kill of this node, told how each of its requests ended. */
    private NodeKill lastKill;

    Backend(int port) {
        this.port = port;
    }

    /** Registers request {@code id} on this node; false, and nothing registered, while the node is out of rotation. */
    synchronized boolean enter(long id) {
        if (!inRotation) {
            return false;
        }
        inFlight.add(id);
        return true;
    }

    /** Request {@code id}'s attempt on this node ended; true when it was in flight at the node's last kill. */
    synchronized boolean leave(long id, Outcome outcome) {
        inFlight.remove(id);
        return lastKill != null && lastKill.settle(id, outcome);
    }

    synchronized int inFlightCount() {
        return inFlight.size();
    }

    /**
     * Takes the node out of the rotation, records the requests in flight on it and sends SIGKILL to
     * {@code process} ({@link ProcessHandle#destroyForcibly()} is SIGKILL on Linux), in one step.
     */
    synchronized NodeKill kill(ProcessHandle process) {
        NodeKill kill = new NodeKill(port, process, Set.copyOf(inFlight));
        if (!process.destroyForcibly()) {
            throw new IllegalStateException("SIGKILL to process " + process.pid() + " failed");
        }
        inRotation = false;
        lastKill = kill;
        return kill;
    }

    synchronized void putBackInRotation() {
        inRotation = true;
    }
}
