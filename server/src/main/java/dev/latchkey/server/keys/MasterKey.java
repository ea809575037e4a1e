package dev.latchkey.server.keys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;

/**
 * The 256-bit key that seals secrets at rest (signing keys, API signing secrets, client secret
 * copies) with AES-GCM. Sealed values look like {@code v1.<base64(iv || ciphertext+tag)>}; the
 * purpose string is bound as additional data so a sealed value cannot be moved to another column.
 */
public final class MasterKey {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    private static final String PREFIX = "v1.";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    /**
     * One AES-GCM cipher per thread, initialised afresh (new IV) for every use: looking the transformation up in
     * the providers on every call cost more than the decryption of a short secret.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    });

    private final SecretKeySpec key;

    public MasterKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("The master key must be 256 bits (32 bytes), got " + key.length * 8);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    public static MasterKey fromBase64(String base64) {
        try {
            return new MasterKey(Base64.getDecoder().decode(base64.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "LATCHKEY_MASTER_KEY must be 32 bytes in base64 (make one with: openssl rand -base64 32): "
                            + e.getMessage());
        }
    }

    /**
     * The configured key, or the one in {@code <dataDir>/master.key}, generated (mode 0600) with a
     * warning when neither exists; then the data directory is made owner-only (0700).
     */
    public static MasterKey load(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return fromBase64(configured);
        }
        Path file = dataDir.resolve("master.key");
        try {
            // The directory holds the key itself: 0700, narrowed if an earlier version left it 0755.
            PrivateFiles.directory(dataDir);
            if (Files.exists(file)) {
                return fromBase64(Files.readString(file));
            }
            String generated = Base64.getEncoder().encodeToString(RandomStrings.bytes(32));
            PrivateFiles.write(file, generated + "\n");
            LOG.warn("Generated a master key in {}. Back it up: without it the signing keys and secrets in the "
                    + "database cannot be read. In production set LATCHKEY_MASTER_KEY instead.", file);
            return fromBase64(generated);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create the master key at " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A 256-bit key for one purpose, derived from this one (HKDF-Expand, RFC 5869 §2.3, with the purpose
     * as info; the master key is already uniformly random, so the extract step is not needed).
     */
    public byte[] derive(String purpose) {
        return expand(purpose.getBytes(StandardCharsets.UTF_8));
    }

    /** The first block of HKDF-Expand with this key as the pseudorandom key. */
    byte[] expand(byte[] info) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            hmac.update(info);
            hmac.update((byte) 1);
            return hmac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    public String seal(byte[] plaintext, String purpose) {
        return PREFIX + Base64.getEncoder().encodeToString(encrypt(plaintext, purpose));
    }

    public String seal(String plaintext, String purpose) {
        return seal(plaintext.getBytes(StandardCharsets.UTF_8), purpose);
    }

    public byte[] open(String sealed, String purpose) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("Not a sealed value (" + purpose + ")");
        }
        try {
            return decrypt(Base64.getDecoder().decode(sealed.substring(PREFIX.length())), purpose);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot decrypt a stored " + purpose
                    + ": is LATCHKEY_MASTER_KEY the key this database was created with?", e);
        }
    }

    /**
     * {@code plaintext} sealed for a trip through a browser or another party: base64url without padding, so that
     * it fits a URL parameter as it is. Only this key opens it, with the same {@code purpose}.
     */
    public String sealForTransit(byte[] plaintext, String purpose) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(encrypt(plaintext, purpose));
    }

    /** What {@link #sealForTransit} sealed for {@code purpose}; empty for anything else, whoever made it up. */
    public Optional<byte[]> openFromTransit(String sealed, String purpose) {
        try {
            return Optional.of(decrypt(Base64.getUrlDecoder().decode(sealed), purpose));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] encrypt(byte[] plaintext, String purpose) {
        try {
            byte[] iv = RandomStrings.bytes(IV_BYTES);
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
    }

    /** {@code iv || ciphertext+tag} opened; throws when it is too short or does not authenticate. */
    private byte[] decrypt(byte[] data, String purpose) throws GeneralSecurityException {
        if (data.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("too short to be sealed");
        }
        Cipher cipher = CIPHERS.get();
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
        cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES);
    }

    public String openString(String sealed, String purpose) {
        return new String(open(sealed, purpose), StandardCharsets.UTF_8);
    }
}
