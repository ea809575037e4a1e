package dev.latchkey.bench;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;

/** The two JCA providers the server can sign with: the JDK's own RSA, or the native AWS-LC one. */
public enum CryptoProvider {
    JDK,
    ACCP;

    /** The provider object that signs and verifies RSA for this choice. */
    public Provider provider() {
        if (this == JDK) {
            return Security.getProvider("SunRsaSign");
        }
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        if (accp.getLoadingError() != null) {
            throw new IllegalStateException("ACCP does not load on this machine", accp.getLoadingError());
        }
        return accp;
    }

    /**
     * Makes this choice the JVM-wide default, as the server does at start: for ACCP that is
     * {@code AmazonCorrettoCryptoProvider.install()} (first position); the JDK needs nothing.
     */
    public String installAsServerDoes() {
        if (this == ACCP) {
            provider();
            AmazonCorrettoCryptoProvider.install();
        }
        try {
            String signing = Signature.getInstance("SHA256withRSA").getProvider().getName();
            if (!signing.equals(provider().getName())) {
                throw new IllegalStateException("SHA256withRSA comes from " + signing + ", not " + provider().getName());
            }
            return signing;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh {@code SHA256withRSA} instance from this provider. */
    public Signature sha256WithRsa() throws GeneralSecurityException {
        return Signature.getInstance("SHA256withRSA", provider());
    }

    /** An RSA-2048 key pair whose key objects belong to this provider (as keys loaded through its KeyFactory are). */
    public KeyPair rsa2048() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", Security.getProvider("SunRsaSign"));
        generator.initialize(2048);
        KeyPair generated = generator.generateKeyPair();
        KeyFactory factory = KeyFactory.getInstance("RSA", provider());
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) generated.getPrivate();
        RSAPublicKey pub = (RSAPublicKey) generated.getPublic();
        return new KeyPair(
                factory.generatePublic(new RSAPublicKeySpec(pub.getModulus(), pub.getPublicExponent())),
                factory.generatePrivate(new RSAPrivateCrtKeySpec(priv.getModulus(), priv.getPublicExponent(),
                        priv.getPrivateExponent(), priv.getPrimeP(), priv.getPrimeQ(), priv.getPrimeExponentP(),
                        priv.getPrimeExponentQ(), priv.getCrtCoefficient())));
    }
}
