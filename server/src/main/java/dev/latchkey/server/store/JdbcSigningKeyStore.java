package dev.latchkey.server.store;

import com.nimbusds.jose.jwk.RSAKey;
import dev.latchkey.server.keys.KeyState;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SigningKey;
import dev.latchkey.server.keys.SigningKeyStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.List;
import java.util.function.Consumer;

public final class JdbcSigningKeyStore implements SigningKeyStore {

    private static final String PURPOSE = "signing_keys.private_key";

    private final Jdbi jdbi;
    private final MasterKey masterKey;
    private final RowMapper<SigningKey> mapper;

    public JdbcSigningKeyStore(Jdbi jdbi, MasterKey masterKey) {
        this.jdbi = jdbi;
        this.masterKey = masterKey;
        this.mapper = (rs, ctx) -> new SigningKey(
                rs.getString("kid"),
                KeyState.fromColumn(rs.getString("state")),
                withPrivatePart(rs.getString("public_jwk"), rs.getString("private_key_encrypted")),
                Times.instant(rs.getLong("created_at")),
                Times.nullableInstant((Long) rs.getObject("current_since", Long.class)),
                Times.nullableInstant((Long) rs.getObject("current_until", Long.class)),
                Times.nullableInstant((Long) rs.getObject("revoked_at", Long.class)));
    }

    @Override
    public List<SigningKey> all() {
        return jdbi.withHandle(this::all);
    }

    @Override
    public void changeLocked(Consumer<Changes> change) {
        jdbi.useTransaction(h -> {
            // SELECT ... FOR UPDATE on a fixed row: H2 and PostgreSQL both hold it to commit.
            h.createQuery("SELECT name FROM lock_rows WHERE name = 'signing_keys' FOR UPDATE")
                    .mapTo(String.class).one();
            change.accept(new Changes() {
                @Override
                public List<SigningKey> all() {
                    return JdbcSigningKeyStore.this.all(h);
                }

                @Override
                public void insert(SigningKey key) {
                    h.createUpdate("""
                            INSERT INTO signing_keys (kid, state, public_jwk, private_key_encrypted, created_at,
                                current_since, current_until, revoked_at)
                            VALUES (:kid, :state, :public_jwk, :private_key, :created_at, :current_since,
                                :current_until, :revoked_at)""")
                            .bind("kid", key.kid())
                            .bind("state", key.state().column())
                            .bind("public_jwk", key.jwk().toPublicJWK().toJSONString())
                            .bind("private_key", seal(key.jwk()))
                            .bind("created_at", Times.millis(key.createdAt()))
                            .bind("current_since", millisOrNull(key.currentSince()))
                            .bind("current_until", millisOrNull(key.currentUntil()))
                            .bind("revoked_at", millisOrNull(key.revokedAt()))
                            .execute();
                }

                @Override
                public void update(SigningKey key) {
                    h.createUpdate("""
                            UPDATE signing_keys SET state = :state, current_since = :current_since,
                                current_until = :current_until, revoked_at = :revoked_at
                            WHERE kid = :kid""")
                            .bind("kid", key.kid())
                            .bind("state", key.state().column())
                            .bind("current_since", millisOrNull(key.currentSince()))
                            .bind("current_until", millisOrNull(key.currentUntil()))
                            .bind("revoked_at", millisOrNull(key.revokedAt()))
                            .execute();
                }
            });
        });
    }

    private List<SigningKey> all(Handle h) {
        return h.createQuery("SELECT * FROM signing_keys ORDER BY created_at, kid").map(mapper).list();
    }

    private String seal(RSAKey jwk) {
        try {
            return masterKey.seal(jwk.toPrivateKey().getEncoded(), PURPOSE);
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException("A signing key has no private part", e);
        }
    }

    private RSAKey withPrivatePart(String publicJwk, String sealedPrivate) {
        try {
            RSAKey publicKey = RSAKey.parse(publicJwk);
            RSAPrivateKey privateKey = (RSAPrivateKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(masterKey.open(sealedPrivate, PURPOSE)));
            return new RSAKey.Builder(publicKey).privateKey(privateKey).build();
        } catch (ParseException | GeneralSecurityException e) {
            throw new IllegalStateException("A stored signing key cannot be read", e);
        }
    }

    private static Long millisOrNull(java.time.Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
