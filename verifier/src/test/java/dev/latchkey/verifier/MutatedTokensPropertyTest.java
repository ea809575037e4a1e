package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Property: whatever is done to a valid token, the verifier either accepts it (only the untouched token, or
 * one re-signed by the issuer) or refuses it with a {@link TokenVerificationException}: never another
 * exception. Seeded, so a failure names the seed and step that reproduce it; bounded in time.
 */
class MutatedTokensPropertyTest {

    /** Fixed, so runs repeat; {@code -Dlatchkey.fuzz.seed=N} explores further. */
    private static final long SEED = Long.getLong("latchkey.fuzz.seed", 0x1a7c4e);
    private static final Duration BUDGET = "true".equals(System.getenv("CI"))
            ? Duration.ofSeconds(20) : Duration.ofSeconds(5);
    private static final int MAX_CASES = 2_000_000;
    private static final String JSON_CHARS = "{}[]\":,0-.eE\\ nul";

    private static TestIssuer issuer;
    private static AccessTokenVerifier verifier;
    private static RSASSASigner signer;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer();
        verifier = issuer.verifier().jwks(new JWKSet(issuer.currentKey().toPublicJWK()))
                .algorithms("RS256", "PS256", "ES256")
                .hmacSecret("a 32-byte secret for the fuzzing!".getBytes(StandardCharsets.US_ASCII)).build();
        signer = new RSASSASigner(issuer.currentKey());
    }

    @AfterAll
    static void stop() {
        verifier.close();
        issuer.close();
    }

    @Test
    void everyMutationIsACleanRefusal() throws Exception {
        String valid = issuer.token();
        assertThat(verifier.verify(valid).subject()).isEqualTo("auth0|123456");
        Random random = new Random(SEED);
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int cases = 0;
        for (; cases < MAX_CASES && System.nanoTime() < deadline; cases++) {
            boolean resign = random.nextInt(4) == 0;
            String mutated = resign ? resigned(mutateJson(valid, random)) : mutate(valid, random);
            try {
                verifier.verify(mutated);
                if (!resign && !mutated.equals(valid)) {
                    fail("seed %d case %d: accepted a tampered token %s", SEED, cases, mutated);
                }
            } catch (TokenVerificationException expected) {
                assertThat(expected.reason()).isNotNull();
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + " case " + cases + " threw " + e + " for " + mutated, e);
            }
        }
        assertThat(cases).isGreaterThan(1_000);
    }

    /** Mutations of the compact form: what arrives over the wire. */
    private static String mutate(String token, Random random) {
        String[] parts = token.split("\\.", -1);
        switch (random.nextInt(8)) {
            case 0: { // flip one bit of one character
                char[] chars = token.toCharArray();
                int at = random.nextInt(chars.length);
                chars[at] = (char) (chars[at] ^ (1 << random.nextInt(7)));
                return new String(chars);
            }
            case 1: // swap two segments
                int a = random.nextInt(3);
                int b = random.nextInt(3);
                String swap = parts[a];
                parts[a] = parts[b];
                parts[b] = swap;
                return String.join(".", parts);
            case 2: // truncate
                return token.substring(0, random.nextInt(token.length()));
            case 3: { // random bytes over a stretch
                byte[] bytes = token.getBytes(StandardCharsets.ISO_8859_1);
                int from = random.nextInt(bytes.length);
                int to = Math.min(bytes.length, from + 1 + random.nextInt(16));
                for (int i = from; i < to; i++) {
                    bytes[i] = (byte) random.nextInt(256);
                }
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
            case 4: // wholly random printable junk with two dots
                return randomSegment(random) + "." + randomSegment(random) + "." + randomSegment(random);
            case 5: // drop or duplicate a dot
                int dot = token.indexOf('.', random.nextInt(token.length()));
                return dot < 0 ? token + "." : random.nextBoolean()
                        ? token.substring(0, dot) + token.substring(dot + 1)
                        : token.substring(0, dot) + "." + token.substring(dot);
            case 6: // a segment replaced by the base64url of random bytes
                byte[] noise = new byte[random.nextInt(64)];
                random.nextBytes(noise);
                parts[random.nextInt(3)] = Base64URL.encode(noise).toString();
                return String.join(".", parts);
            default: // insert a random character
                int at = random.nextInt(token.length() + 1);
                return token.substring(0, at) + (char) random.nextInt(0x250) + token.substring(at);
        }
    }

    /** Mutations of the decoded header or claims JSON, so parsers see odd JSON behind a valid signature. */
    private static String[] mutateJson(String token, Random random) {
        String[] parts = token.split("\\.", -1);
        int which = random.nextInt(2);
        byte[] json = new Base64URL(parts[which]).decode();
        switch (random.nextInt(4)) {
            case 0:
                json[random.nextInt(json.length)] ^= (byte) (1 << random.nextInt(8));
                break;
            case 1:
                json[random.nextInt(json.length)] = (byte) JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length()));
                break;
            case 2:
                byte[] shorter = new byte[random.nextInt(json.length)];
                System.arraycopy(json, 0, shorter, 0, shorter.length);
                json = shorter;
                break;
            default:
                String text = new String(json, StandardCharsets.UTF_8);
                String[] oddValues = {"null", "[]", "{}", "-1", "1e999", "\"\"", "true", "[null]", "{\"a\":{}}",
                        "9223372036854775808", "0.5", "\"\\u0000\""};
                int colon = text.indexOf(':', random.nextInt(text.length()));
                if (colon > 0) {
                    int end = text.indexOf(',', colon);
                    end = end < 0 ? text.length() - 1 : end;
                    String odd = oddValues[random.nextInt(oddValues.length)];
                    text = text.substring(0, colon + 1) + odd + text.substring(end);
                }
                json = text.getBytes(StandardCharsets.UTF_8);
        }
        parts[which] = Base64URL.encode(json).toString();
        return parts;
    }

    /** Signs whatever the header and claims segments now hold with the issuer's own key. */
    private static String resigned(String[] parts) throws JOSEException {
        String signingInput = parts[0] + "." + parts[1];
        Base64URL signature = signer.sign(new JWSHeader(JWSAlgorithm.RS256),
                signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + signature;
    }

    private static String randomSegment(Random random) {
        StringBuilder out = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            out.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return out.toString();
    }
}
