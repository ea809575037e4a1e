package dev.latchkey.server.http;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A TLS certificate chain and private key read from PEM files (an unencrypted PKCS#8 or PKCS#1
 * key), as an in-memory key store for Jetty.
 */
public final class PemKeyMaterial {

    public static final char[] PASSWORD = "latchkey".toCharArray();

    private PemKeyMaterial() {
    }

    public static KeyStore load(Path certFile, Path keyFile) {
        List<Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        requireMatch(key, chain.get(0), certFile, keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("latchkey", key, PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("The TLS key does not match the certificate in " + certFile
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * A key from another certificate would start a server whose every TLS handshake fails; sign
     * and verify a probe so that mistake stops the start with a message instead.
     */
    private static void requireMatch(PrivateKey key, Certificate certificate, Path certFile, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "latchkey tls key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // A key of another type than the certificate's: reported below.
        }
        throw new IllegalArgumentException("LATCHKEY_TLS_KEY_FILE " + keyFile
                + " is not the private key of the certificate in LATCHKEY_TLS_CERT_FILE " + certFile);
    }

    private static List<Certificate> certificates(Path file) {
        List<Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("LATCHKEY_TLS_CERT_FILE " + file + " does not exist", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("LATCHKEY_TLS_CERT_FILE " + file + " cannot be read as PEM: "
                    + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("LATCHKEY_TLS_CERT_FILE " + file + " holds no PEM certificate");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("LATCHKEY_TLS_KEY_FILE " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("LATCHKEY_TLS_KEY_FILE " + file + " cannot be read as PEM: "
                    + e.getMessage(), e);
        }
        throw new IllegalArgumentException("LATCHKEY_TLS_KEY_FILE " + file
                + " holds no unencrypted private key (PKCS#8 'PRIVATE KEY' or PKCS#1 'RSA PRIVATE KEY')");
    }
}
