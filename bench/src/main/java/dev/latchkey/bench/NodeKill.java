package dev.latchkey.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One SIGKILL sent by {@link Backend#kill}: the ids of the requests in flight on the node at the signal, and how
 * each of those ended ({@link Backend.Outcome}) as its attempt on the node comes to an end.
 */
final class NodeKill {

    final int port;
    final ProcessHandle process;
    final Set<Long> inFlight;
    private final Map<Long, Backend.Outcome> outcomes = new ConcurrentHashMap<>();
    private final CountDownLatch unsettled;

    NodeKill(int port, ProcessHandle process, Set<Long> inFlight) {
        this.port = port;
        this.process = process;
        this.inFlight = inFlight;
        this.unsettled = new CountDownLatch(inFlight.size());
    }

    /** Records how request {@code id} ended; true when it was in flight at the signal. */
    boolean settle(long id, Backend.Outcome outcome) {
        if (!inFlight.contains(id)) {
            return false;
        }
        if (outcomes.putIfAbsent(id, outcome) == null) {
            unsettled.countDown();
        }
        return true;
    }

    /** Waits until the process has exited; false when it still runs after {@code timeoutMs}. */
    boolean awaitExit(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!exited()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** Waits until every request in flight at the signal has ended; false when some had not after {@code timeoutMs}. */
    boolean awaitSettled(long timeoutMs) throws InterruptedException {
        return unsettled.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The ids of the requests in flight at the signal that ended so, in order. */
    List<Long> ended(Backend.Outcome outcome) {
        return inFlight.stream().filter(id -> outcomes.get(id) == outcome).sorted().toList();
    }

    /** The ids of the requests in flight at the signal that have not ended yet, in order. */
    List<Long> stillInFlight() {
        return inFlight.stream().filter(id -> !outcomes.containsKey(id)).sorted().toList();
    }

    /**
     * Whether the process has exited, its sockets closed. {@link ProcessHandle#isAlive()} still says true for a
     * zombie, which an exited process stays until its parent reaps it; and a JVM's main thread can be a zombie
     * while other threads still run and its listening socket still accepts connections. Linux's
     * {@code /proc/<pid>/status} tells: the process is gone, or a zombie with no thread left but its main one
     * (every thread has closed its files before it leaves the count).
     */
    private boolean exited() {
        if (!process.isAlive()) {
            return true;
        }
        List<String> status;
        try {
            status = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"));
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the state of process " + process.pid(), e);
        }
        return status.stream().anyMatch(line -> line.matches("State:\\s+Z.*"))
                && status.stream().anyMatch(line -> line.matches("Threads:\\s+1"));
    }
}
