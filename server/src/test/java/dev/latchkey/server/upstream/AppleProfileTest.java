package dev.latchkey.server.upstream;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AppleProfileTest {

    @Test
    void theNamePostedAtTheFirstLoginFillsTheProfileButNeverTheEmail() {
        Map<String, Object> claims = new HashMap<>(Map.of("sub", "001", "email", "x@privaterelay.appleid.com",
                "email_verified", "true"));

        AppleProfile.complete(claims, """
                {"name":{"firstName":"Ann","lastName":"Lee"},"email":"someone-else@example.com"}""");

        assertThat(claims).containsEntry("given_name", "Ann").containsEntry("family_name", "Lee")
                .containsEntry("name", "Ann Lee").containsEntry("email", "x@privaterelay.appleid.com")
                .containsEntry("email_verified", true);
    }

    @Test
    void theIdTokensOwnClaimsWinAndAnythingMalformedIsIgnored() {
        Map<String, Object> claims = new HashMap<>(Map.of("sub", "001", "name", "From the ID token"));
        AppleProfile.complete(claims, "{\"name\":{\"firstName\":\"Ann\"}}");
        assertThat(claims).containsEntry("name", "From the ID token").containsEntry("given_name", "Ann");

        for (String bad : new String[] {null, "not json", "[]", "{\"name\":\"flat\"}", "{\"name\":{\"firstName\":7}}",
                "{\"name\":{\"firstName\":\"" + "a".repeat(101) + "\"}}", "x".repeat(3000)}) {
            Map<String, Object> untouched = new HashMap<>(Map.of("sub", "001", "email_verified", false));
            AppleProfile.complete(untouched, bad);
            assertThat(untouched).isEqualTo(Map.of("sub", "001", "email_verified", false));
        }
    }
}
