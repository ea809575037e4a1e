package dev.latchkey.server.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Optional;

/**
 * Small records that travel sealed through browsers and clients instead of being stored: written as JSON, then
 * AES-GCM ({@link MasterKey#sealForTransit}) under a key of their purpose's own, derived from the master key, and
 * bound to that purpose, so that a value sealed for one purpose never opens for another. Only this server makes
 * or reads one.
 *
 * @param <T> the record sealed
 */
public final class SealedJson<T> {

    /**
     * The length of each stored value a sealed one replaces (a code, an opaque token, an upstream state): 32 random
     * bytes in base64url ({@link RandomStrings#base64url}). No sealed value is this short: its IV and tag alone take
     * 38 characters, and {@link #seal} refuses one that would not be longer.
     */
    private static final int STORED_FORM_LENGTH = 43;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final MasterKey key;
    private final String purpose;
    private final Class<T> type;
    private final int maxLength;

    /**
     * Sealed under a key derived from {@code masterKey} for {@code purpose} alone (HKDF-Expand): the number of
     * values sealed under one key grows with traffic, and the master key's own seals (signing keys, secrets at
     * rest) stay apart from them. Sealed values longer than {@code maxLength} are neither handed out nor opened.
     */
    public SealedJson(MasterKey masterKey, String purpose, Class<T> type, int maxLength) {
        this.key = new MasterKey(masterKey.derive("sealed in transit: " + purpose));
        this.purpose = purpose;
        this.type = type;
        this.maxLength = maxLength;
    }

    /** {@code value} sealed (URL-safe base64, no padding), or empty when that would pass the length limit. */
    public Optional<String> seal(T value) {
        try {
            String sealed = key.sealForTransit(JSON.writeValueAsBytes(value), purpose);
            if (storedForm(sealed)) {
                throw new IllegalStateException("A sealed " + purpose + " would look like a stored one");
            }
            return sealed.length() <= maxLength ? Optional.of(sealed) : Optional.empty();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a sealed " + purpose, e);
        }
    }

    /** True for a value of the stored form, found by its digest; false for a sealed one. */
    public static boolean storedForm(String value) {
        return value.length() <= STORED_FORM_LENGTH;
    }

    /** The record {@code sealed} holds; empty for anything this key did not seal as a {@code T} for this purpose. */
    public Optional<T> open(String sealed) {
        if (sealed == null || sealed.length() > maxLength) {
            return Optional.empty();
        }
        Optional<byte[]> plain = key.openFromTransit(sealed, purpose);
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readValue(plain.get(), type));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
