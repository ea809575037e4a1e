package dev.latchkey.bench;

import dev.latchkey.server.identity.Argon2Cost;
import dev.latchkey.server.identity.PasswordHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * Argon2id at the server's default cost ({@link Argon2Cost#OWASP}: m=19456 KiB, t=2, p=1) through the
 * server's own {@link PasswordHasher} (Bouncy Castle underneath), 2 threads: the physical limit of password
 * logins. {@code argon2idHash} is what "hashes per second" means; {@code argon2idVerify} is what a login
 * does (the same computation plus parsing the stored PHC string). {@code -p cost=m:t:p} (KiB, passes, lanes)
 * measures another cost, e.g. one of OWASP's equivalent settings ({@code 7168:5:1}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
public class PasswordHashBenchmark {

    static final String PASSWORD = "Bench-pa55word!";

    @State(Scope.Benchmark)
    public static class Hasher {
        /** {@code OWASP} (the server's default, {@link Argon2Cost#OWASP}) or {@code m:t:p}. */
        @Param({"OWASP"})
        public String cost;
        PasswordHasher hasher;
        String stored;

        @Setup(Level.Trial)
        public void setUp() {
            hasher = new PasswordHasher(parse(cost));
            stored = hasher.hash(PASSWORD);
            if (!hasher.verify(PASSWORD, stored)) {
                throw new IllegalStateException("The password did not verify against its own hash");
            }
        }
    }

    static Argon2Cost parse(String cost) {
        if (cost.equals("OWASP")) {
            return Argon2Cost.OWASP;
        }
        String[] parts = cost.split(":");
        return new Argon2Cost(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
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
