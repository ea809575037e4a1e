package dev.latchkey.server.upstream;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether an OpenID provider's ID token already holds the whole profile its userinfo endpoint could add, so that
 * the userinfo call can be left out (Auth0 calls a connection's userinfo endpoint for claims beyond the ID token).
 * It does only when the provider advertises its claims ({@code claims_supported}, OIDC Discovery §3) and the ID
 * token holds every one of them about the user that the login's scopes reach: the claims of scopes not asked for
 * (OIDC Core §5.4) and the protocol's own claims do not count, and every other claim does, a provider's own
 * ({@code groups}, say) included. A provider that does not advertise its claims, or whose ID token lacks one, gets
 * the call, as before.
 */
final class ProfileInIdToken {

    /** OIDC Core §5.4: the claims each scope asks for. */
    private static final Map<String, Set<String>> SCOPE_CLAIMS = Map.of(
            "profile", Set.of("name", "family_name", "given_name", "middle_name", "nickname", "preferred_username",
                    "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"),
            "email", Set.of("email", "email_verified"),
            "address", Set.of("address"),
            "phone", Set.of("phone_number", "phone_number_verified"));
    /** Claims about the token or the login, not the user (OIDC Core §2, §3.1.3.6; RFC 9068). */
    private static final Set<String> PROTOCOL = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "auth_time",
            "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "s_hash", "sid", "cnf", "typ", "client_id", "scope");

    private ProfileInIdToken() {
    }

    static boolean complete(OIDCProviderMetadata metadata, Scope scope, IDTokenClaimsSet idToken) {
        List<String> advertised = metadata.getClaims();
        if (advertised == null || advertised.isEmpty()) {
            return false;
        }
        Map<String, Object> held = idToken.toJSONObject();
        for (String claim : advertised) {
            if (!PROTOCOL.contains(claim) && asked(claim, scope) && !held.containsKey(claim)) {
                return false;
            }
        }
        return true;
    }

    /** False for a claim of a standard scope the login did not ask for; true for any other claim. */
    private static boolean asked(String claim, Scope scope) {
        for (Map.Entry<String, Set<String>> entry : SCOPE_CLAIMS.entrySet()) {
            if (entry.getValue().contains(claim)) {
                return scope != null && scope.contains(entry.getKey());
            }
        }
        return true;
    }
}
