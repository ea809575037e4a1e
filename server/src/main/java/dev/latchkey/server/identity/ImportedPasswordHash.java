package dev.latchkey.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Password hashes imported with Auth0's {@code custom_password_hash} (Auth0 "Bulk User Import Database
 * Schema and Examples"), turned into the one string kept in {@code users.password_hash} and checked at
 * login. A successful login replaces them with Argon2id ({@link PasswordHasher#needsRehash}).
 *
 * <p>Rules: {@code bcrypt} (hash.value a {@code $2a$}/{@code $2b$}/{@code $2y$} string, utf8); {@code argon2}
 * (hash.value a PHC string, utf8, no salt); {@code pbkdf2} (hash.value a PHC string
 * {@code $pbkdf2-<sha1|sha256|sha512>$i=<n>,l=<n>$<salt>$<hash>}, utf8, no salt); {@code sha256} and
 * {@code sha512} (hash.value hex or base64, an optional salt with its encoding and position, prefix by
 * default). Passwords are UTF-8. Other algorithms (md4, md5, sha1, hmac, ldap, scrypt) and other
 * encodings are refused for that user, who is reported in the job's errors.
 */
public final class ImportedPasswordHash {

    /** PBKDF2 passes above this would let one login occupy a core for seconds. */
    static final int MAX_PBKDF2_ITERATIONS = 2_000_000;
    private static final int MAX_SALT_BYTES = 64;
    private static final Pattern PBKDF2 = Pattern.compile(
            "\\$pbkdf2-(sha1|sha256|sha512)\\$i=(\\d{1,9}),l=(\\d{1,3})\\$([A-Za-z0-9+/.]{1,100}={0,2})\\$([A-Za-z0-9+/.]{1,200}={0,2})");
    private static final Pattern ARGON2 = Pattern.compile(
            "\\$argon2(id|i|d)\\$v=19\\$m=\\d{1,8},t=\\d{1,4},p=\\d{1,3}\\$[A-Za-z0-9+/]{11,}\\$[A-Za-z0-9+/]{16,}");
    /** Latchkey's own form for salted SHA-2: {@code $sha256$prefix$<salt b64>$<hash b64>}. */
    private static final Pattern SALTED_SHA = Pattern.compile(
            "\\$(sha256|sha512)\\$(prefix|suffix)\\$([A-Za-z0-9+/]*={0,2})\\$([A-Za-z0-9+/]+={0,2})");
    private static final Set<String> KNOWN_UNSUPPORTED = Set.of("md4", "md5", "sha1", "hmac", "ldap", "scrypt");
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private ImportedPasswordHash() {
    }

    /** The refusal of one user's hash: {@code path} names the property, as Auth0's job errors do. */
    public static final class Invalid extends RuntimeException {
        private final String path;

        Invalid(String message, String path) {
            super(message, null, false, false);
            this.path = path;
        }

        public String path() {
            return path;
        }
    }

    /** The stored form of Auth0's {@code password_hash} (bcrypt only). */
    public static String fromPasswordHash(String hash) {
        if (!PasswordHasher.isBcrypt(hash)) {
            throw new Invalid("password_hash must be a bcrypt hash ($2a$ or $2b$)", "password_hash");
        }
        return hash;
    }

    /** The stored form of Auth0's {@code custom_password_hash} object. */
    public static String fromCustom(JsonNode custom) {
        if (!custom.isObject()) {
            throw new Invalid("custom_password_hash must be an object", "custom_password_hash");
        }
        String algorithm = custom.path("algorithm").asText("");
        JsonNode hash = custom.path("hash");
        String value = hash.path("value").isTextual() ? hash.path("value").asText() : null;
        if (value == null || value.isEmpty() || value.length() > 1000) {
            throw new Invalid("hash.value is required (a string)", "custom_password_hash.hash.value");
        }
        String encoding = hash.path("encoding").asText("utf8");
        JsonNode password = custom.path("password");
        if (!password.isMissingNode() && !password.path("encoding").asText("utf8").equals("utf8")) {
            throw new Invalid("password.encoding " + password.path("encoding").asText() + " is not supported; "
                    + "passwords are utf8", "custom_password_hash.password.encoding");
        }
        switch (algorithm) {
            case "bcrypt" -> {
                requireUtf8(encoding);
                noSalt(custom);
                if (!PasswordHasher.isBcrypt(value)) {
                    throw new Invalid("hash.value is not a bcrypt hash", "custom_password_hash.hash.value");
                }
                return value;
            }
            case "argon2" -> {
                requireUtf8(encoding);
                noSalt(custom);
                if (!ARGON2.matcher(value).matches()) {
                    throw new Invalid("hash.value is not an Argon2 PHC string", "custom_password_hash.hash.value");
                }
                return value;
            }
            case "pbkdf2" -> {
                requireUtf8(encoding);
                noSalt(custom);
                Matcher m = PBKDF2.matcher(value);
                if (!m.matches()) {
                    throw new Invalid("hash.value is not a PBKDF2 PHC string ($pbkdf2-sha256$i=..,l=..$salt$hash)",
                            "custom_password_hash.hash.value");
                }
                long iterations = Long.parseLong(m.group(2));
                if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
                    throw new Invalid("i must be 1 to " + MAX_PBKDF2_ITERATIONS, "custom_password_hash.hash.value");
                }
                byte[] out = phcBytes(m.group(5));
                if (out == null || phcBytes(m.group(4)) == null || out.length != Integer.parseInt(m.group(3))) {
                    throw new Invalid("the salt or hash of the PBKDF2 string is not base64 of length l",
                            "custom_password_hash.hash.value");
                }
                return value;
            }
            case "sha256", "sha512" -> {
                byte[] digest = decode(value, encoding, "custom_password_hash.hash");
                int length = algorithm.equals("sha256") ? 32 : 64;
                if (digest.length != length) {
                    throw new Invalid("hash.value is not a " + algorithm + " digest", "custom_password_hash.hash.value");
                }
                JsonNode salt = custom.path("salt");
                byte[] saltBytes = new byte[0];
                String position = "prefix";
                if (!salt.isMissingNode()) {
                    if (!salt.path("value").isTextual()) {
                        throw new Invalid("salt.value is required (a string)", "custom_password_hash.salt.value");
                    }
                    saltBytes = decode(salt.path("value").asText(), salt.path("encoding").asText("utf8"),
                            "custom_password_hash.salt");
                    position = salt.path("position").asText("prefix");
                    if (!position.equals("prefix") && !position.equals("suffix")) {
                        throw new Invalid("salt.position is prefix or suffix", "custom_password_hash.salt.position");
                    }
                    if (saltBytes.length > MAX_SALT_BYTES) {
                        throw new Invalid("salt.value is longer than " + MAX_SALT_BYTES + " bytes",
                                "custom_password_hash.salt.value");
                    }
                }
                return "$" + algorithm + "$" + position + "$" + B64.encodeToString(saltBytes) + "$"
                        + B64.encodeToString(digest);
            }
            default -> throw new Invalid(KNOWN_UNSUPPORTED.contains(algorithm)
                    ? "the " + algorithm + " algorithm is not supported; supported: bcrypt, argon2, pbkdf2, sha256, sha512"
                    : "unknown algorithm " + algorithm, "custom_password_hash.algorithm");
        }
    }

    /** Whether {@code stored} is one of the forms {@link #verify} checks (PBKDF2 or salted SHA-2). */
    static boolean handles(String stored) {
        return stored.startsWith("$pbkdf2-") || stored.startsWith("$sha256$") || stored.startsWith("$sha512$");
    }

    /** Constant-time check of {@code password} against a PBKDF2 or salted SHA-2 hash. */
    static boolean verify(String password, String stored) {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        Matcher pbkdf2 = PBKDF2.matcher(stored);
        if (pbkdf2.matches()) {
            int iterations = Integer.parseInt(pbkdf2.group(2));
            byte[] salt = phcBytes(pbkdf2.group(4));
            byte[] expected = phcBytes(pbkdf2.group(5));
            if (iterations > MAX_PBKDF2_ITERATIONS || salt == null || expected == null) {
                return false;
            }
            Digest digest = switch (pbkdf2.group(1)) {
                case "sha1" -> new SHA1Digest();
                case "sha256" -> new SHA256Digest();
                default -> new SHA512Digest();
            };
            PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(digest);
            generator.init(secret, salt, iterations);
            byte[] actual = ((KeyParameter) generator.generateDerivedMacParameters(expected.length * 8)).getKey();
            return MessageDigest.isEqual(actual, expected);
        }
        Matcher sha = SALTED_SHA.matcher(stored);
        if (sha.matches()) {
            byte[] salt = Base64.getDecoder().decode(sha.group(3));
            byte[] expected = Base64.getDecoder().decode(sha.group(4));
            try {
                MessageDigest digest = MessageDigest.getInstance(sha.group(1).equals("sha256") ? "SHA-256" : "SHA-512");
                if (sha.group(2).equals("prefix")) {
                    digest.update(salt);
                    digest.update(secret);
                } else {
                    digest.update(secret);
                    digest.update(salt);
                }
                return MessageDigest.isEqual(digest.digest(), expected);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return false;
    }

    /** PHC's base64 (standard alphabet, padding optional; passlib writes '.' for '+'). */
    private static byte[] phcBytes(String text) {
        try {
            return Base64.getDecoder().decode(stripPadding(text.replace('.', '+')));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String stripPadding(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
        }
        return text.substring(0, end);
    }

    private static byte[] decode(String value, String encoding, String path) {
        try {
            return switch (encoding) {
                case "hex" -> HexFormat.of().parseHex(value);
                case "base64" -> Base64.getDecoder().decode(value);
                case "utf8" -> value.getBytes(StandardCharsets.UTF_8);
                default -> throw new Invalid(path.substring(path.lastIndexOf('.') + 1) + ".encoding " + encoding
                        + " is not supported (hex, base64, utf8)", path + ".encoding");
            };
        } catch (IllegalArgumentException e) {
            throw new Invalid(path.substring(path.lastIndexOf('.') + 1) + ".value is not valid " + encoding,
                    path + ".value");
        }
    }

    private static void requireUtf8(String encoding) {
        if (!encoding.equals("utf8")) {
            throw new Invalid("hash.encoding must be utf8 for this algorithm", "custom_password_hash.hash.encoding");
        }
    }

    private static void noSalt(JsonNode custom) {
        if (custom.has("salt")) {
            throw new Invalid("salt is not allowed for this algorithm: it is part of hash.value",
                    "custom_password_hash.salt");
        }
    }
}
