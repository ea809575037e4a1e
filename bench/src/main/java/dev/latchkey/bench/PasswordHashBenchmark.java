package dev.latchkey.bench;

import dev.latchkey.server.identity.Argon2Cost;
import dev.latchkey.server.identity.PasswordHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * Argon2id at the server's default cost ({@link Argon2Cost#OWASP}: m=19456 KiB, t=2, p=1) through the
 * server's own {@link PasswordHasher} (Bouncy Castle underneath), 2 threads: the physical limit of password
 * logins. {@code argon2idHash} is what "hashes per second" means; {@code argon2idVerify} is what a login
 * does (the same computation plus parsing the stored PHC string).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
public class PasswordHashBenchmark {

    static final String PASSWORD = "Bench-pa55word!";

    @State(Scope.Benchmark)
    public static class Hasher {
        PasswordHasher hasher;
        String stored;

        @Setup(Level.Trial)
        public void setUp() {
            hasher = new PasswordHasher(Argon2Cost.OWASP);
            stored = hasher.hash(PASSWORD);
            if (!hasher.verify(PASSWORD, stored)) {
                throw new IllegalStateException("The password did not verify against its own hash");
            }
        }
    }

    @Benchmark
    public String argon2idHash(Hasher hasher) {
        return hasher.hasher.hash(PASSWORD);
    }

    @Benchmark
    public boolean argon2idVerify(Hasher hasher) {
        if (!hasher.hasher.verify(PASSWORD, hasher.stored)) {
            throw new IllegalStateException("The password did not verify");
        }
        return true;
    }
}
