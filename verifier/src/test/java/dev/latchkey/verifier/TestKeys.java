package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.util.ArrayList;
import java.util.List;

/** RSA-2048 keys are slow to make, so tests share a few, made once. */
public final class TestKeys {

    private static final List<RSAKey> RSA = new ArrayList<>();

    private TestKeys() {
    }

    /** The n-th shared RSA key, with kid {@code kid}. */
    public static synchronized RSAKey rsa(int n, String kid) {
        while (RSA.size() <= n) {
            try {
                RSA.add(new RSAKeyGenerator(2048).generate());
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
        RSAKey key = RSA.get(n);
        return new RSAKey.Builder(key).keyID(kid).build();
    }

    public static ECKey ecP256(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
