package dev.latchkey.server.http;

import dev.latchkey.server.testing.TestServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A self-signed RSA certificate for {@code localhost} and {@code 127.0.0.1}, written as PEM the
 * way operators bring theirs: the certificate, and the key as PKCS#8 ({@code PRIVATE KEY}) or
 * PKCS#1 ({@code RSA PRIVATE KEY}). Also the client side: an SSL context trusting only it. Public for
 * the peer tests whose clients speak nothing but HTTPS.
 */
public record SelfSignedCertificate(X509Certificate certificate, KeyPair keys) {

    public enum KeyFormat { PKCS8, PKCS1 }

    public static SelfSignedCertificate generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=localhost");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            return new SelfSignedCertificate(certificate, keys);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path writeCertificate(Path dir) throws IOException {
        return write(dir.resolve("cert.pem"), certificate);
    }

    public Path writeKey(Path dir, KeyFormat format) throws IOException {
        Path file = dir.resolve("key-" + format.name().toLowerCase() + ".pem");
        // JcaPEMWriter writes an RSA private key as PKCS#1; the PKCS#8 generator as PKCS#8.
        return format == KeyFormat.PKCS8 ? write(file, new JcaPKCS8Generator(keys.getPrivate(), null))
                : write(file, keys.getPrivate());
    }

    public SSLContext trustingIt() {
        return TestServer.trusting(certificate);
    }

    private static Path write(Path file, Object pemObject) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pemObject instanceof JcaPKCS8Generator generator ? generator.generate() : pemObject);
        }
        return Files.writeString(file, text.toString());
    }
}
