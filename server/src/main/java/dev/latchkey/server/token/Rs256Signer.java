package dev.latchkey.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Set;

/**
 * RS256 (RFC 7518 §3.3) for the token hot path: a Nimbus {@link JWSSigner} over the JCA's
 * {@code SHA256withRSA}, with one initialised {@link Signature} per thread instead of a lookup and
 * key set-up per token, and the JDK's base64url encoder, several times faster than the generic one.
 */
final class Rs256Signer implements JWSSigner {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final JCAContext jcaContext = new JCAContext();
    private final ThreadLocal<Signature> signatures;

    Rs256Signer(PrivateKey key) {
        this.signatures = ThreadLocal.withInitial(() -> {
            try {
                Signature signature = Signature.getInstance("SHA256withRSA");
                signature.initSign(key);
                return signature;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA256withRSA is not available for the signing key", e);
            }
        });
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
            throw new JOSEException("This signer only makes RS256 signatures, not " + header.getAlgorithm());
        }
        Signature signature = signatures.get();
        try {
            // After sign() the object is back in its initialised state, ready for the next token.
            signature.update(signingInput);
            return new Base64URL(BASE64URL.encodeToString(signature.sign()));
        } catch (GeneralSecurityException e) {
            signatures.remove(); // its state is unknown after a failure
            throw new JOSEException("RS256 signing failed", e);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.RS256);
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
