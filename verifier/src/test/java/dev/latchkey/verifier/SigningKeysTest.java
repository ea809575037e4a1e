package dev.latchkey.verifier;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SigningKeysTest {

    @Test
    void keepsRsaSigningKeysByKid() {
        SigningKeys keys = SigningKeys.from(new JWKSet(TestKeys.rsa(0, "a").toPublicJWK()));

        assertThat(keys.find("a").algorithms()).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.PS256);
        assertThat(keys.find("b")).isNull();
    }

    /** RFC 7517 §4.4, RFC 8725 §3.1: a key that names its algorithm verifies only that one. */
    @Test
    void honoursTheKeysAlg() {
        RSAKey rs256Only = new RSAKey.Builder(TestKeys.rsa(0, "a").toPublicJWK()).algorithm(JWSAlgorithm.RS256).build();

        assertThat(SigningKeys.from(new JWKSet(rs256Only)).find("a").algorithms()).containsExactly(JWSAlgorithm.RS256);
    }

    /** Never oct keys (anyone reading the JWKS could sign), encryption keys, keys without kid, or short RSA. */
    @Test
    void leavesOutKeysThatMayNotVerify() throws Exception {
        OctetSequenceKey oct = new OctetSequenceKeyGenerator(256).keyID("oct").generate();
        RSAKey encryption = new RSAKey.Builder(TestKeys.rsa(0, "enc").toPublicJWK()).keyUse(KeyUse.ENCRYPTION).build();
        RSAKey noKid = new RSAKey.Builder(TestKeys.rsa(0, "x").toPublicJWK()).keyID(null).build();
        RSAKey short1024 = new RSAKeyGenerator(1024, true).keyID("short").generate();

        SigningKeys keys = SigningKeys.from(new JWKSet(List.of(oct, encryption, noKid, short1024.toPublicJWK())));

        assertThat(keys.isEmpty()).isTrue();
    }
}
