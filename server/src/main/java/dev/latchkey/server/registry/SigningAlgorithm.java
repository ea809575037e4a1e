package dev.latchkey.server.registry;

import com.nimbusds.jose.JWSAlgorithm;

import java.util.Arrays;
import java.util.Optional;

/** The algorithms an API's access tokens may be signed with (Auth0's {@code signing_alg}). */
public enum SigningAlgorithm {
    RS256(JWSAlgorithm.RS256),
    PS256(JWSAlgorithm.PS256),
    HS256(JWSAlgorithm.HS256);

    private final JWSAlgorithm jws;

    SigningAlgorithm(JWSAlgorithm jws) {
        this.jws = jws;
    }

    public JWSAlgorithm jws() {
        return jws;
    }

    public boolean symmetric() {
        return this == HS256;
    }

    public static Optional<SigningAlgorithm> parse(String value) {
        return Arrays.stream(values()).filter(a -> a.name().equals(value)).findFirst();
    }
}
