package dev.latchkey.server.registry;

import java.util.Arrays;
import java.util.Optional;

/** Auth0's application types. */
public enum AppType {
    NON_INTERACTIVE("non_interactive"),
    REGULAR_WEB("regular_web"),
    SPA("spa"),
    NATIVE("native");

    private final String value;

    AppType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** SPAs and native apps cannot keep a secret (RFC 6749 §2.1). */
    public boolean publicClient() {
        return this == SPA || this == NATIVE;
    }

    public static Optional<AppType> parse(String value) {
        return Arrays.stream(values()).filter(t -> t.value.equals(value)).findFirst();
    }
}
