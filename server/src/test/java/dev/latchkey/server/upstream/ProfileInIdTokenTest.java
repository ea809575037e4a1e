package dev.latchkey.server.upstream;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When the userinfo call adds nothing the ID token does not already hold (OIDC Discovery §3, OIDC Core §5.4). */
class ProfileInIdTokenTest {

    private static final Scope SCOPE = Scope.parse("openid profile email");

    @Test
    void anIdTokenWithEveryAdvertisedClaimOfTheScopesAskedIsComplete() throws Exception {
        OIDCProviderMetadata metadata = metadata(List.of("sub", "iss", "auth_time", "acr", "sid", "email",
                "email_verified", "name", "given_name", "family_name", "nickname", "phone_number", "address"));
        // Phone and address claims are not asked for by the scope: their absence does not count.
        assertThat(ProfileInIdToken.complete(metadata, SCOPE, idToken(Map.of("email", "a@b.example",
                "email_verified", true, "name", "A", "given_name", "A", "family_name", "B", "nickname", "a"))))
                .isTrue();
    }

    @Test
    void aMissingClaimOrAProvidersOwnClaimNeedsTheCall() throws Exception {
        Map<String, Object> profile = Map.of("email", "a@b.example", "email_verified", true, "name", "A");
        assertThat(ProfileInIdToken.complete(metadata(List.of("sub", "email", "email_verified", "name", "picture")),
                SCOPE, idToken(profile))).isFalse();
        // A claim of no standard scope (a provider's own) may come from userinfo alone: it counts.
        assertThat(ProfileInIdToken.complete(metadata(List.of("sub", "email", "email_verified", "name", "groups")),
                SCOPE, idToken(profile))).isFalse();
        // A provider that does not advertise its claims always gets the call.
        assertThat(ProfileInIdToken.complete(metadata(null), SCOPE, idToken(profile))).isFalse();
        assertThat(ProfileInIdToken.complete(metadata(List.of()), SCOPE, idToken(profile))).isFalse();
    }

    private static OIDCProviderMetadata metadata(List<String> claims) throws Exception {
        JSONObject json = new JSONObject();
        json.put("issuer", "https://idp.example");
        json.put("authorization_endpoint", "https://idp.example/auth");
        json.put("jwks_uri", "https://idp.example/jwks");
        json.put("response_types_supported", List.of("code"));
        json.put("subject_types_supported", List.of("public"));
        json.put("id_token_signing_alg_values_supported", List.of("RS256"));
        if (claims != null) {
            json.put("claims_supported", claims);
        }
        return OIDCProviderMetadata.parse(json.toJSONString());
    }

    private static IDTokenClaimsSet idToken(Map<String, Object> profile) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("https://idp.example").subject("u1")
                .audience("client").expirationTime(new Date(System.currentTimeMillis() + 60_000))
                .issueTime(new Date());
        profile.forEach(claims::claim);
        return new IDTokenClaimsSet(claims.build());
    }
}
