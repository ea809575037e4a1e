package dev.latchkey.server.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The private key of a Sign in with Apple connection, as Auth0's apple connection takes it in {@code app_secret}:
 * the PKCS #8 PEM of the EC P-256 key (the {@code .p8} file) Apple issues. Read when the connection is written,
 * so that a wrong key is refused then, and again for each client secret signed with it.
 */
public final class AppleSigningKey {

    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    private AppleSigningKey() {
    }

    /** Whether {@code secret} is a private key in PEM (an {@code app_secret}) rather than a client secret. */
    public static boolean isPem(String secret) {
        return secret != null && secret.strip().startsWith(PEM_BEGIN);
    }

    /** @throws IllegalArgumentException saying what is wrong with the key, never quoting it */
    public static ECPrivateKey read(String pem) {
        String text = pem == null ? "" : pem.strip();
        if (!text.startsWith(PEM_BEGIN) || !text.endsWith(PEM_END)) {
            throw new IllegalArgumentException("app_secret must be the PEM of the private key Apple issued "
                    + "(-----BEGIN PRIVATE KEY----- ...)");
        }
        String body = text.substring(PEM_BEGIN.length(), text.length() - PEM_END.length()).replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            if (KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof ECPrivateKey key
                    && key.getParams().getCurve().getField().getFieldSize() == 256) {
                return key;
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // Reported below, without the key's bytes.
        }
        throw new IllegalArgumentException("app_secret is not an EC P-256 private key in PKCS #8 PEM");
    }
}
