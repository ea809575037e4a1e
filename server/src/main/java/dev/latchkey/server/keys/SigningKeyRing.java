package dev.latchkey.server.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The RSA keys tokens are signed with, shared by every node through the database. One key is
 * {@code current} (signs), one {@code next} (already published so validators have it before it
 * signs), and after rotations the {@code previous} ones stay published until revoked (Auth0's model).
 * Nodes re-read the ring every few seconds, so a rotation on one node reaches the others.
 */
public final class SigningKeyRing {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyRing.class);

    /** Each published RSA key appears once more under this kid suffix with {@code alg: PS256}. */
    public static final String PS256_KID_SUFFIX = ".ps256";

    private final SigningKeyStore store;
    private final RsaKeyFactory keyFactory;
    private final Clock clock;
    private volatile Snapshot snapshot;

    public SigningKeyRing(SigningKeyStore store, RsaKeyFactory keyFactory, Clock clock) {
        this.store = store;
        this.keyFactory = keyFactory;
        this.clock = clock;
    }

    /** Makes sure a current and a next key exist (idempotent, safe with several nodes), then loads. */
    public void ensureReady() {
        if (!complete(store.all())) {
            // RSA key generation can take a second or more; it runs before the lock other nodes
            // (and, on H2, a lock timeout of two seconds) wait on, not inside it.
            RSAKey spareCurrent = keyFactory.generate();
            RSAKey spareNext = keyFactory.generate();
            store.changeLocked(changes -> {
                List<SigningKey> keys = changes.all();
                Instant now = clock.instant();
                if (keys.stream().noneMatch(k -> k.state() == KeyState.CURRENT)) {
                    Optional<SigningKey> next = keys.stream().filter(k -> k.state() == KeyState.NEXT).findFirst();
                    if (next.isPresent()) {
                        changes.update(next.get().withState(KeyState.CURRENT, now, null, null));
                    } else {
                        changes.insert(newKey(spareCurrent, KeyState.CURRENT, now));
                    }
                    LOG.info("Created the signing key ring");
                }
                if (changes.all().stream().noneMatch(k -> k.state() == KeyState.NEXT)) {
                    changes.insert(newKey(spareNext, KeyState.NEXT, now));
                }
            });
        }
        reload();
    }

    /**
     * Rotation: next becomes current, current becomes previous (still published), and a new next
     * key is made. Returns the new current key.
     */
    public SigningKey rotate() {
        RSAKey fresh = keyFactory.generate();
        store.changeLocked(changes -> {
            Instant now = clock.instant();
            for (SigningKey key : changes.all()) {
                if (key.state() == KeyState.CURRENT) {
                    changes.update(key.withState(KeyState.PREVIOUS, key.currentSince(), now, null));
                } else if (key.state() == KeyState.NEXT) {
                    changes.update(key.withState(KeyState.CURRENT, now, null, null));
                }
            }
            changes.insert(newKey(fresh, KeyState.NEXT, now));
        });
        reload();
        LOG.info("Rotated the signing keys; kid {} signs now", current().kid());
        return current();
    }

    /** Revokes a previous key: it leaves the JWKS and can never sign or verify again. */
    public Optional<SigningKey> revoke(String kid) {
        boolean[] revoked = {false};
        store.changeLocked(changes -> changes.all().stream()
                .filter(k -> k.kid().equals(kid) && k.state() == KeyState.PREVIOUS)
                .findFirst()
                .ifPresent(k -> {
                    changes.update(k.withState(KeyState.REVOKED, k.currentSince(), k.currentUntil(), clock.instant()));
                    revoked[0] = true;
                }));
        reload();
        return revoked[0] ? all().stream().filter(k -> k.kid().equals(kid)).findFirst() : Optional.empty();
    }

    /** Re-reads the ring from the store; called on a schedule and after local changes. */
    public void reload() {
        List<SigningKey> keys = store.all();
        SigningKey current = keys.stream().filter(k -> k.state() == KeyState.CURRENT).findFirst()
                .orElseThrow(() -> new IllegalStateException("The signing key ring has no current key"));
        List<JWK> published = new ArrayList<>();
        for (SigningKey key : keys) {
            if (key.state() != KeyState.REVOKED) {
                RSAKey publicJwk = key.jwk().toPublicJWK();
                published.add(publicJwk);
                published.add(new RSAKey.Builder(publicJwk)
                        .keyID(key.kid() + PS256_KID_SUFFIX).algorithm(JWSAlgorithm.PS256).build());
            }
        }
        JWKSet jwks = new JWKSet(published);
        snapshot = new Snapshot(current, List.copyOf(keys), jwks,
                jwks.toString(true).getBytes(StandardCharsets.UTF_8));
    }

    public SigningKey current() {
        return snapshot.current();
    }

    /** Every key including revoked ones (for the Management API). */
    public List<SigningKey> all() {
        return snapshot.keys();
    }

    /** Public keys of current, next and previous keys. */
    public JWKSet publicJwks() {
        return snapshot.jwks();
    }

    /** The JWKS document, serialised once per reload. */
    public byte[] jwksJson() {
        return snapshot.jwksJson();
    }

    private static boolean complete(List<SigningKey> keys) {
        return keys.stream().anyMatch(k -> k.state() == KeyState.CURRENT)
                && keys.stream().anyMatch(k -> k.state() == KeyState.NEXT);
    }

    private static SigningKey newKey(RSAKey jwk, KeyState state, Instant now) {
        return new SigningKey(jwk.getKeyID(), state, jwk, now, state == KeyState.CURRENT ? now : null, null, null);
    }

    private record Snapshot(SigningKey current, List<SigningKey> keys, JWKSet jwks, byte[] jwksJson) {
    }
}
