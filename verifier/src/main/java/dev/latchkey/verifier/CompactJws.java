package dev.latchkey.verifier;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The three segments of a JWS in compact serialization (RFC 7515 §7.1), checked for shape only: every
 * segment non-empty, made of base64url characters without padding (RFC 7515 §2), and canonically encoded
 * (RFC 4648 §3.5). Nimbus's decoder skips characters outside the alphabet and ignores stray pad bits, so
 * without these checks many different strings would verify as the same token.
 */
record CompactJws(String header, String payload, String signature, byte[] signingInput) {

    /** Larger tokens are refused before anything is decoded. */
    static final int MAX_LENGTH = 64 * 1024;

    /** The value of each base64url character (RFC 4648 §5), -1 for every other ASCII character. */
    private static final byte[] SEXTETS = new byte[128];

    static {
        Arrays.fill(SEXTETS, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            SEXTETS[alphabet.charAt(i)] = (byte) i;
        }
    }

    /** RFC 7519 §7.2: a JWT here has exactly two dots; anything else is not one (perhaps an opaque token). */
    static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        if (first < 0) {
            return false;
        }
        int second = token.indexOf('.', first + 1);
        return second >= 0 && token.indexOf('.', second + 1) < 0;
    }

    /** Splits a token for which {@link #looksLikeJwt} holds. */
    static CompactJws split(String token) throws TokenVerificationException {
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        if (first == 0 || second == first + 1 || second == token.length() - 1) {
            // An empty signature is an unsecured JWS, alg "none" (RFC 7519 §6.1, RFC 8725 §3.1).
            throw malformed("The access token has an empty segment");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c >= SEXTETS.length || (SEXTETS[c] < 0 && c != '.')) {
                throw malformed("The access token is not base64url-encoded");
            }
        }
        if (!canonicalEnd(token, 0, first) || !canonicalEnd(token, first + 1, second)
                || !canonicalEnd(token, second + 1, token.length())) {
            throw malformed("The access token is not canonically base64url-encoded");
        }
        return new CompactJws(token.substring(0, first), token.substring(first + 1, second),
                token.substring(second + 1), token.substring(0, second).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * RFC 4648 §3.5: in the segment from {@code start} to {@code end}, a last group of 2 or 3 characters carries
     * 4 or 2 unused bits, which must be zero; a last group of 1 character is impossible.
     */
    private static boolean canonicalEnd(String token, int start, int end) {
        int last = SEXTETS[token.charAt(end - 1)];
        return switch ((end - start) % 4) {
            case 1 -> false;
            case 2 -> (last & 0x0f) == 0;
            case 3 -> (last & 0x03) == 0;
            default -> true;
        };
    }

    private static TokenVerificationException malformed(String message) {
        return new TokenVerificationException(TokenVerificationException.Reason.MALFORMED, message);
    }
}
