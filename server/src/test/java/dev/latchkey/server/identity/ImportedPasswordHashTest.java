package dev.latchkey.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Auth0's {@code custom_password_hash} (Auth0 "Bulk User Import Database Schema and Examples"): what is
 * refused for one user, naming the property, and what a stored salted SHA-2 hash checks.
 */
class ImportedPasswordHashTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void refusesMalformedHashesNamingTheProperty() throws Exception {
        List<String> refused = List.of(
                "{\"algorithm\":\"sha256\",\"hash\":{\"value\":\"zz\",\"encoding\":\"hex\"}}",
                "{\"algorithm\":\"sha256\",\"hash\":{\"value\":\"abcd\",\"encoding\":\"hex\"}}",
                "{\"algorithm\":\"sha512\",\"hash\":{\"value\":\"%%%\",\"encoding\":\"base64\"}}",
                "{\"algorithm\":\"sha256\",\"hash\":{\"value\":\"" + "ab".repeat(32) + "\",\"encoding\":\"hex\"},"
                        + "\"salt\":{\"value\":\"s\",\"position\":\"middle\"}}",
                "{\"algorithm\":\"sha256\",\"hash\":{\"value\":\"" + "ab".repeat(32) + "\",\"encoding\":\"ucs2\"}}",
                "{\"algorithm\":\"pbkdf2\",\"hash\":{\"value\":\"$pbkdf2-sha256$i=99999999,l=32$c2FsdA$"
                        + "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXphYmNkZWY\"}}",
                "{\"algorithm\":\"pbkdf2\",\"hash\":{\"value\":\"$pbkdf2-md5$i=1000,l=16$c2FsdA$YWJj\"}}",
                "{\"algorithm\":\"argon2\",\"hash\":{\"value\":\"$argon2id$v=16$m=1,t=1,p=1$x$y\"}}",
                "{\"algorithm\":\"bcrypt\",\"hash\":{\"value\":\"$2b$10$short\"}}",
                "{\"algorithm\":\"bcrypt\",\"hash\":{\"value\":\"$2b$10$" + "a".repeat(53) + "\"},\"salt\":{\"value\":\"x\"}}",
                "{\"algorithm\":\"md5\",\"hash\":{\"value\":\"5f4dcc3b5aa765d61d8327deb882cf99\",\"encoding\":\"hex\"}}",
                "{\"algorithm\":\"scrypt\",\"hash\":{\"value\":\"x\"}}",
                "{\"algorithm\":\"sha256\"}",
                "{\"algorithm\":\"sha256\",\"hash\":{\"value\":5}}",
                "{\"algorithm\":\"sha256\",\"hash\":{\"value\":\"" + "ab".repeat(32) + "\",\"encoding\":\"hex\"},"
                        + "\"password\":{\"encoding\":\"utf16le\"}}",
                "\"sha256\"");
        for (String custom : refused) {
            assertThatThrownBy(() -> ImportedPasswordHash.fromCustom(json(custom))).as(custom)
                    .isInstanceOf(ImportedPasswordHash.Invalid.class)
                    .satisfies(e -> assertThat(((ImportedPasswordHash.Invalid) e).path()).startsWith("custom_password_hash"));
        }
    }

    @Test
    void aSaltedSha256HashChecksOnlyItsPassword() throws Exception {
        // sha256("salt" + "secret")
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        digest.update("salt".getBytes());
        String hex = java.util.HexFormat.of().formatHex(digest.digest("secret".getBytes()));
        String stored = ImportedPasswordHash.fromCustom(json("{\"algorithm\":\"sha256\",\"hash\":{\"value\":\"" + hex
                + "\",\"encoding\":\"hex\"},\"salt\":{\"value\":\"salt\",\"encoding\":\"utf8\",\"position\":\"prefix\"}}"));
        assertThat(stored).startsWith("$sha256$prefix$").hasSizeLessThanOrEqualTo(200);
        assertThat(ImportedPasswordHash.verify("secret", stored)).isTrue();
        assertThat(ImportedPasswordHash.verify("Secret", stored)).isFalse();
        assertThat(ImportedPasswordHash.verify("secret", stored.replace("prefix", "suffix"))).isFalse();
        PasswordHasher hasher = new PasswordHasher(new Argon2Cost(256, 1, 1), 1);
        assertThat(hasher.verify("secret", stored)).isTrue();
        assertThat(hasher.needsRehash(stored)).isTrue();
    }
}
