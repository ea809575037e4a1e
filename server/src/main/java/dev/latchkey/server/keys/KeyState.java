package dev.latchkey.server.keys;

/**
 * Where a signing key is in its life (Auth0's states): published ahead as {@code next}, signing as
 * {@code current}, still published as {@code previous} after a rotation, gone once {@code revoked}.
 */
public enum KeyState {
    NEXT, CURRENT, PREVIOUS, REVOKED;

    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static KeyState fromColumn(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
