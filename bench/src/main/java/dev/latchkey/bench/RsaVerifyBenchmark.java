package dev.latchkey.bench;

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

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.concurrent.TimeUnit;

/**
 * RS256 verification: raw RSA-2048 {@code SHA256withRSA} verifications per second with one
 * initialised {@link Signature} per thread. The ceiling for a token verifier; it does not go
 * through the verifier library yet.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
public class RsaVerifyBenchmark {

    @State(Scope.Benchmark)
    public static class SignedToken {
        @Param({"JDK", "ACCP"})
        public CryptoProvider provider;
        KeyPair pair;
        byte[] signature;

        @Setup(Level.Trial)
        public void sign() throws GeneralSecurityException {
            pair = provider.rsa2048();
            Signature signer = provider.sha256WithRsa();
            signer.initSign(pair.getPrivate());
            signer.update(SigningInput.CLIENT_CREDENTIALS_TOKEN);
            signature = signer.sign();
        }
    }

    @State(Scope.Thread)
    public static class Verifier {
        Signature signature;

        @Setup(Level.Trial)
        public void init(SignedToken token) throws GeneralSecurityException {
            signature = token.provider.sha256WithRsa();
            signature.initVerify(token.pair.getPublic());
        }
    }

    @Benchmark
    public boolean verify(SignedToken token, Verifier verifier) throws GeneralSecurityException {
        verifier.signature.update(SigningInput.CLIENT_CREDENTIALS_TOKEN);
        boolean valid = verifier.signature.verify(token.signature);
        if (!valid) {
            throw new IllegalStateException("The signature did not verify");
        }
        return valid;
    }
}
