package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of the issuer's public signing keys, by {@code kid}, each turned once into a ready
 * {@link JWSVerifier}: the hot path never re-parses a JWK. Keys that may not verify signatures are left out.
 */
final class SigningKeys {

    /** A key and the algorithms it may verify. */
    record Key(JWSVerifier verifier, Set<JWSAlgorithm> algorithms) {
    }

    static final SigningKeys NONE = new SigningKeys(Map.of());

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final int MIN_RSA_BITS = 2048;
    private static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256);
    private static final Set<JWSAlgorithm> EC_P256_ALGORITHMS = Set.of(JWSAlgorithm.ES256);

    private final Map<String, Key> byKid;

    private SigningKeys(Map<String, Key> byKid) {
        this.byKid = Map.copyOf(byKid);
    }

    static SigningKeys from(JWKSet jwks) {
        Map<String, Key> byKid = new HashMap<>();
        for (JWK jwk : jwks.getKeys()) {
            String kid = jwk.getKeyID();
            if (kid == null || !maySign(jwk) || byKid.containsKey(kid)) {
                continue;
            }
            try {
                Key key = keyOf(jwk.toPublicJWK());
                if (key != null) {
                    byKid.put(kid, key);
                }
            } catch (JOSEException e) {
                log.warn("Skipping JWK {}: {}", kid, e.getMessage());
            }
        }
        return new SigningKeys(byKid);
    }

    /** The key for {@code kid}, or null. */
    Key find(String kid) {
        return byKid.get(kid);
    }

    boolean isEmpty() {
        return byKid.isEmpty();
    }

    int size() {
        return byKid.size();
    }

    /** RFC 7517 §4.2, §4.3: honour {@code use} and {@code key_ops} when present. */
    private static boolean maySign(JWK jwk) {
        boolean useOk = jwk.getKeyUse() == null || KeyUse.SIGNATURE.equals(jwk.getKeyUse());
        boolean opsOk = jwk.getKeyOperations() == null || jwk.getKeyOperations().contains(KeyOperation.VERIFY);
        return useOk && opsOk;
    }

    /**
     * RFC 7517 §4.4 and RFC 8725 §3.1: a key with {@code alg} verifies only that algorithm. Symmetric
     * ({@code oct}) keys in a JWKS are never used: anyone who can read the JWKS could sign with them.
     */
    private static Key keyOf(JWK jwk) throws JOSEException {
        if (jwk instanceof RSAKey rsa) {
            if (rsa.size() < MIN_RSA_BITS) {
                log.warn("Skipping JWK {}: RSA keys must have at least {} bits (RFC 7518 §3.3)", jwk.getKeyID(),
                        MIN_RSA_BITS);
                return null;
            }
            return new Key(new RSASSAVerifier(rsa), restrict(RSA_ALGORITHMS, jwk));
        }
        if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            return new Key(new ECDSAVerifier(ec), restrict(EC_P256_ALGORITHMS, jwk));
        }
        return null;
    }

    private static Set<JWSAlgorithm> restrict(Set<JWSAlgorithm> possible, JWK jwk) {
        if (jwk.getAlgorithm() == null) {
            return possible;
        }
        JWSAlgorithm declared = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
        return possible.contains(declared) ? Set.of(declared) : Set.of();
    }
}
