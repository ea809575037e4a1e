package dev.latchkey.server.identity;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;

import java.util.ArrayDeque;

/**
 * The memory of one Argon2id computation, kept from one password check to the next.
 *
 * <p>Argon2id at the OWASP cost fills 19,456 one-KiB blocks. Allocated afresh for every check, that is
 * about 20 MB of short-lived garbage per login which is still alive whenever a young collection runs, so
 * the collector copies it, promotes it and soon runs full collections: a quarter of the time of a login
 * load went to that. Handed back here instead, the blocks stay where they are and the collector has
 * nothing to do.
 *
 * <p>Each block is wiped as it comes back, so nothing derived from a password outlives its check.
 * Bouncy Castle's own {@code FixedBlockPool} does the same, but takes a lock for every block and wipes
 * each block twice (on the way out too): at the OWASP cost, 39,000 lock operations and 19 MiB of extra
 * wiping per check that this pool skips. One instance serves one computation at a time (a hashing slot
 * of {@link PasswordHasher}); it keeps at most {@code keepBlocks}, so a stored hash with a larger memory
 * cost borrows the rest from the heap once.
 */
final class Argon2Memory implements Argon2BytesGenerator.BlockPool {

    private final ArrayDeque<Argon2BytesGenerator.Block> free;
    private final int keepBlocks;

    Argon2Memory(int keepBlocks) {
        this.keepBlocks = keepBlocks;
        this.free = new ArrayDeque<>(keepBlocks);
    }

    @Override
    public Argon2BytesGenerator.Block allocate() {
        Argon2BytesGenerator.Block block = free.pollLast();
        return block != null ? block : new Argon2BytesGenerator.Block();
    }

    @Override
    public void deallocate(Argon2BytesGenerator.Block block) {
        block.clear();
        if (free.size() < keepBlocks) {
            free.addLast(block);
        }
    }

    int keptBlocks() {
        return free.size();
    }
}
