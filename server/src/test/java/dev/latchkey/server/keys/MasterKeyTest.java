package dev.latchkey.server.keys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {

    @Test
    void sealsAndOpensWithTheSamePurpose() {
        MasterKey key = new MasterKey(RandomStrings.bytes(32));
        String sealed = key.seal("secret", "a");
        assertThat(sealed).startsWith("v1.").doesNotContain("secret");
        assertThat(key.openString(sealed, "a")).isEqualTo("secret");
    }

    @Test
    void aSealedValueCannotBeMovedToAnotherPurpose() {
        MasterKey key = new MasterKey(RandomStrings.bytes(32));
        String sealed = key.seal("secret", "clients.client_secret");
        assertThatThrownBy(() -> key.open(sealed, "resource_servers.signing_secret"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("LATCHKEY_MASTER_KEY");
    }

    @Test
    void anotherKeyCannotOpenIt() {
        String sealed = new MasterKey(RandomStrings.bytes(32)).seal("secret", "a");
        assertThatThrownBy(() -> new MasterKey(RandomStrings.bytes(32)).open(sealed, "a"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sealingTwiceGivesDifferentCiphertexts() {
        MasterKey key = new MasterKey(RandomStrings.bytes(32));
        assertThat(key.seal("same", "a")).isNotEqualTo(key.seal("same", "a"));
    }

    @Test
    void generatesAPrivateKeyFileOnceAndReusesIt(@TempDir Path dir) throws Exception {
        MasterKey first = MasterKey.load(null, dir);
        Path file = dir.resolve("master.key");
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        MasterKey second = MasterKey.load(null, dir);
        assertThat(second.openString(first.seal("x", "p"), "p")).isEqualTo("x");
    }

    @Test
    void rejectsKeysOfTheWrongLengthOrEncoding() {
        assertThatThrownBy(() -> MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("256 bits");
        assertThatThrownBy(() -> MasterKey.fromBase64("not base64!"))
                .hasMessageContaining("LATCHKEY_MASTER_KEY");
    }

    @Test
    void derivesKeysWithHkdfExpand() {
        // RFC 5869 Appendix A.1: PRK and info of test case 1, the first 32 bytes of its OKM.
        HexFormat hex = HexFormat.of();
        MasterKey prk = new MasterKey(hex.parseHex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
        assertThat(hex.formatHex(prk.expand(hex.parseHex("f0f1f2f3f4f5f6f7f8f9"))))
                .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
        assertThat(prk.derive("a")).isNotEqualTo(prk.derive("b")).hasSize(32);
    }
}
