package dev.latchkey.verifier;

/** Where the issuer's public keys come from: given up front, or fetched from its {@code jwks_uri}. */
interface KeySource extends AutoCloseable {

    /** The keys to verify with now. */
    SigningKeys current() throws TokenVerificationException;

    /**
     * Called when a token names a {@code kid} that {@code seen} lacks: may refetch, within the source's rate
     * limit, and returns the keys to try again with (possibly {@code seen} itself).
     */
    SigningKeys afterUnknownKid(SigningKeys seen) throws TokenVerificationException;

    @Override
    void close();

    /** Keys given to the builder: no network at all, e.g. for benchmarks. */
    static KeySource fixed(SigningKeys keys) {
        return new KeySource() {
            @Override
            public SigningKeys current() {
                return keys;
            }

            @Override
            public SigningKeys afterUnknownKid(SigningKeys seen) {
                return keys;
            }

            @Override
            public void close() {
            }
        };
    }
}
