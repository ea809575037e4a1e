package dev.latchkey.server.identity;

import dev.latchkey.server.keys.RandomStrings;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hashes passwords with Argon2id (RFC 9106) into PHC strings
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, unpadded standard base64) and verifies them,
 * as well as hashes imported from Auth0 or elsewhere: bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}),
 * Argon2i/d/id PHC strings, and PBKDF2 and salted SHA-2 ({@link ImportedPasswordHash}); all but
 * Argon2id at the configured cost are replaced on the next successful login ({@link #needsRehash}).
 */
public final class PasswordHasher {

    /** How long a request waits for a hashing slot before it is told to come back later. */
    public static final Duration WAIT = Duration.ofSeconds(2);
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern ARGON2ID = Pattern.compile(
            "\\$argon2(id|i|d)\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{16,})");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    /**
     * A stored hash asking for more passes than this is refused rather than computed: only bcrypt hashes
     * are imported, so an Argon2id hash this costly was not written by this server.
     */
    static final int MAX_ITERATIONS = 64;
    /** Reads the CPU time of the thread that computes, for {@link #cpuNanos()}. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Argon2Cost cost;
    /**
     * The hashing slots, each with its own {@link Argon2Memory}. Each Argon2id computation holds
     * {@code m} KiB (19 MiB at the OWASP cost): a burst of logins on every request thread must not
     * exhaust the heap. The work is CPU-bound, so running more at once than there are cores gains
     * nothing; the others wait their turn, for {@link #WAIT} at most, so that a flood of logins cannot
     * hold every request thread forever.
     */
    private final BlockingQueue<Argon2Memory> slots;
    private final int maxConcurrent;
    private final Duration wait;
    /** Verified against when the email is unknown, so that case costs what a wrong password costs. */
    private final String dummyHash;
    private final LongAdder computations = new LongAdder();
    private final LongAdder cpuNanos = new LongAdder();
    private final LongAdder refusals = new LongAdder();

    /** One hashing slot per core, but no more than a third of the heap can keep as Argon2id memory. */
    public PasswordHasher(Argon2Cost cost) {
        this(cost, (int) Math.max(1, Math.min(Math.max(2, Runtime.getRuntime().availableProcessors()),
                Runtime.getRuntime().maxMemory() / 3 / (cost.memoryKib() * 1024L))));
    }

    public PasswordHasher(Argon2Cost cost, int maxConcurrent) {
        this(cost, maxConcurrent, WAIT);
    }

    /** With the number of slots and the longest wait for one given (tests use no slot at all). */
    PasswordHasher(Argon2Cost cost, int maxConcurrent, Duration wait) {
        this.cost = cost;
        this.maxConcurrent = maxConcurrent;
        this.slots = new ArrayBlockingQueue<>(Math.max(1, maxConcurrent), true);
        for (int i = 0; i < maxConcurrent; i++) {
            slots.add(new Argon2Memory(cost.memoryKib()));
        }
        this.wait = wait;
        // Random bytes stand in for the hash: checking against them costs one full Argon2id run, and
        // nothing has to be hashed at start-up, while the JVM is still cold.
        this.dummyHash = phc(RandomStrings.bytes(SALT_BYTES), RandomStrings.bytes(HASH_BYTES));
    }

    public Argon2Cost cost() {
        return cost;
    }

    /** How many hashes may run at once. */
    int slots() {
        return maxConcurrent;
    }

    /** Argon2id computations finished since start (hashes, verifications, checks for unknown users). */
    public long computations() {
        return computations.sum();
    }

    /**
     * CPU time spent in those computations, in nanoseconds (0 where the JVM cannot read a thread's CPU
     * time): against a bare benchmark of the same cost, it shows what the rest of the server costs them.
     */
    public long cpuNanos() {
        return cpuNanos.sum();
    }

    /** Computations refused with {@link Busy} because every slot stayed taken. */
    public long refusals() {
        return refusals.sum();
    }

    /** @throws Busy when no hashing slot frees up within {@link #WAIT} */
    public String hash(String password) {
        byte[] salt = RandomStrings.bytes(SALT_BYTES);
        return phc(salt, argon2(password, salt, cost, HASH_BYTES, Argon2Parameters.ARGON2_id));
    }

    private String phc(byte[] salt, byte[] out) {
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /**
     * Constant-time check of {@code password} against a stored Argon2id or bcrypt hash.
     * @throws Busy when no hashing slot frees up within {@link #WAIT}
     */
    public boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        Matcher argon = ARGON2ID.matcher(stored);
        if (argon.matches()) {
            Argon2Cost storedCost;
            byte[] salt;
            byte[] expected;
            try {
                storedCost = new Argon2Cost(Integer.parseInt(argon.group(2)), Integer.parseInt(argon.group(3)),
                        Integer.parseInt(argon.group(4)));
                salt = B64_DECODER.decode(argon.group(5));
                expected = B64_DECODER.decode(argon.group(6));
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (tooCostly(storedCost)) {
                return false; // not a hash this server wrote: computing it could exhaust the heap or a slot
            }
            int type = switch (argon.group(1)) {
                case "i" -> Argon2Parameters.ARGON2_i;
                case "d" -> Argon2Parameters.ARGON2_d;
                default -> Argon2Parameters.ARGON2_id;
            };
            return MessageDigest.isEqual(argon2(password, salt, storedCost, expected.length, type), expected);
        }
        if (ImportedPasswordHash.handles(stored)) {
            return ImportedPasswordHash.verify(password, stored);
        }
        if (isBcrypt(stored)) {
            try {
                return OpenBSDBCrypt.checkPassword(stored, password.toCharArray());
            } catch (IllegalArgumentException e) {
                return false; // e.g. a password longer than bcrypt's 72 bytes
            }
        }
        return false;
    }

    /** Spends the time of one verification and answers false: for unknown users. */
    public boolean verifyNothing(String password) {
        verify(password == null ? "" : password, dummyHash);
        return false;
    }

    /** More memory than a quarter of the heap, or more than {@link #MAX_ITERATIONS} passes. */
    static boolean tooCostly(Argon2Cost stored) {
        return stored.memoryKib() * 1024L > Runtime.getRuntime().maxMemory() / 4 || stored.iterations() > MAX_ITERATIONS;
    }

    /** True when {@code stored} is not Argon2id at the configured cost (bcrypt, or cheaper Argon2id). */
    public boolean needsRehash(String stored) {
        Matcher argon = ARGON2ID.matcher(stored);
        if (!argon.matches() || !argon.group(1).equals("id")) {
            return true;
        }
        return cost.weakerThanThis(new Argon2Cost(Integer.parseInt(argon.group(2)),
                Integer.parseInt(argon.group(3)), Integer.parseInt(argon.group(4))));
    }

    /** An imported hash this server can verify: bcrypt {@code $2a$}, {@code $2b$} or {@code $2y$}. */
    public static boolean isBcrypt(String hash) {
        return hash != null && BCRYPT.matcher(hash).matches();
    }

    private byte[] argon2(String password, byte[] salt, Argon2Cost cost, int length, int type) {
        Argon2Memory memory;
        try {
            memory = slots.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refusals.increment();
            throw new Busy();
        }
        if (memory == null) {
            refusals.increment();
            throw new Busy();
        }
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        try {
            return compute(password, salt, cost, length, memory, type);
        } finally {
            slots.add(memory);
            long cpuAfter = THREADS.getCurrentThreadCpuTime();
            if (cpuBefore >= 0 && cpuAfter >= cpuBefore) {
                cpuNanos.add(cpuAfter - cpuBefore);
            }
            computations.increment();
        }
    }

    private static byte[] compute(String password, byte[] salt, Argon2Cost cost, int length, Argon2Memory memory,
                                  int type) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(type)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .withBlockPool(memory)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        // NIST SP 800-63B §5.1.1.2: normalise Unicode so that one password typed two ways is one password.
        generator.generateBytes(Normalizer.normalize(password, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8),
                out);
        return out;
    }

    /** Every hashing slot stayed taken for {@link #WAIT}: the caller should answer "try again later". */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("Too many password checks are running; try again shortly", null, false, false);
        }
    }
}
