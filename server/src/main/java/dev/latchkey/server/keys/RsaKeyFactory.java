package dev.latchkey.server.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Makes new RSA-2048 signing keys as JWKs: {@code kid} is the RFC 7638 thumbprint, and each key
 * carries a self-signed certificate ({@code x5c}, {@code x5t}) because Auth0's JWKS does and some
 * validators build the key from {@code x5c[0]}.
 */
public final class RsaKeyFactory {

    private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(3650);

    private final String subject;

    public RsaKeyFactory(String issuerHost) {
        this.subject = "CN=" + issuerHost.replaceAll("[,=+<>#;\"\\\\]", "_");
    }

    public RSAKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = selfSign(pair);
            RSAKey unnamed = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).build();
            return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyID(unnamed.computeThumbprint().toString())
                    .x509CertChain(List.of(Base64.encode(certificate.getEncoded())))
                    .x509CertThumbprint(Base64URL.encode(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded())))
                    .build();
        } catch (GeneralSecurityException | JOSEException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot generate an RSA signing key", e);
        }
    }

    private X509Certificate selfSign(KeyPair pair) throws OperatorCreationException, CertificateException {
        Instant now = Instant.now();
        X500Name name = new X500Name(subject);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name, new BigInteger(64, new java.security.SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CERTIFICATE_VALIDITY)),
                name, pair.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    }
}
