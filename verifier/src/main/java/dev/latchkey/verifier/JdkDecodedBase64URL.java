package dev.latchkey.verifier;

import com.nimbusds.jose.util.Base64URL;

import java.util.Base64;

/**
 * A {@link Base64URL} decoded by the JDK. Nimbus's verifiers read the signature through {@link #decode()},
 * and Nimbus's own codec takes about 3 µs for an RSA-2048 signature against 0.1 µs for the JDK's, close to a
 * tenth of the whole verification. Only for segments {@link CompactJws} has already checked: base64url
 * alphabet, no padding, canonical.
 */
final class JdkDecodedBase64URL extends Base64URL {

    private static final long serialVersionUID = 1L;

    JdkDecodedBase64URL(String checkedSegment) {
        super(checkedSegment);
    }

    @Override
    public byte[] decode() {
        return Base64.getUrlDecoder().decode(toString());
    }
}
