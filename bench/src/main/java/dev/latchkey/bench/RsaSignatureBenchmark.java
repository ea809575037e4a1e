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
 * RSA-2048 {@code SHA256withRSA} signatures per second: the physical limit of RS256 token issuance.
 * {@code reusedSignature} keeps one initialised {@link Signature} per thread (the floor);
 * {@code newSignaturePerToken} does what Nimbus's {@code RSASSASigner} does for every token
 * ({@code Signature.getInstance} + {@code initSign} + sign), to show what that costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
public class RsaSignatureBenchmark {

    @State(Scope.Benchmark)
    public static class Keys {
        @Param({"JDK", "ACCP"})
        public CryptoProvider provider;
        KeyPair pair;

        @Setup(Level.Trial)
        public void generate() throws GeneralSecurityException {
            pair = provider.rsa2048();
        }
    }

    @State(Scope.Thread)
    public static class Signer {
        Signature signature;

        @Setup(Level.Trial)
        public void init(Keys keys) throws GeneralSecurityException {
            signature = keys.provider.sha256WithRsa();
            signature.initSign(keys.pair.getPrivate());
        }
    }

    @Benchmark
    public byte[] reusedSignature(Signer signer) throws GeneralSecurityException {
        signer.signature.update(SigningInput.CLIENT_CREDENTIALS_TOKEN);
        return signer.signature.sign();
    }

    @Benchmark
    public byte[] newSignaturePerToken(Keys keys) throws GeneralSecurityException {
        Signature signature = keys.provider.sha256WithRsa();
        signature.initSign(keys.pair.getPrivate());
        signature.update(SigningInput.CLIENT_CREDENTIALS_TOKEN);
        return signature.sign();
    }
}
