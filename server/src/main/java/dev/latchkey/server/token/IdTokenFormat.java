package dev.latchkey.server.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.claims.CodeHash;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.SigningAlgorithm;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;

/**
 * ID tokens (OIDC Core §2, §3.1.3.6, §3.2.2.10, §3.3.2.11). Signed RS256 with the key ring by
 * default, PS256 or HS256 when the client's {@code jwt_configuration.alg} says so; HS256 uses the
 * client secret (Auth0), opened from its sealed copy. Lifetime: {@code jwt_configuration.lifetime_in_seconds}.
 */
public final class IdTokenFormat {

    /** The purpose the client secret's sealed copy is bound to (see the Management API's clients). */
    public static final String CLIENT_SECRET_PURPOSE = "clients.client_secret";

    private final String issuer;
    private final TokenSigner signer;
    private final MasterKey masterKey;
    private final Clock clock;

    public IdTokenFormat(String issuer, TokenSigner signer, MasterKey masterKey, Clock clock) {
        this.issuer = issuer;
        this.signer = signer;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    public String issue(IdTokenRequest request) {
        Client client = request.client();
        SigningAlgorithm alg = algorithm(client);
        Instant issuedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        UserClaims.of(request.user(), request.scopes()).forEach(claims::claim);
        claims.issuer(issuer)
                .subject(request.user().userId())
                .audience(client.clientId())
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plusSeconds(client.jwtConfiguration().lifetimeInSeconds())));
        if (request.authTime() != null) {
            claims.claim("auth_time", request.authTime().getEpochSecond());
        }
        if (request.nonce() != null) {
            claims.claim("nonce", request.nonce());
        }
        if (request.sid() != null) {
            claims.claim("sid", request.sid());
        }
        // OIDC Core §2, §3.1.2.1: the class the authentication satisfied, when acr_values asked for it.
        if (request.acr() != null) {
            claims.claim("acr", request.acr());
        }
        // OIDC Core §3.3.2.11 / §3.2.2.10: hashes of what travels with the ID token.
        if (request.accessToken() != null) {
            claims.claim("at_hash", AccessTokenHash.compute(new BearerAccessToken(request.accessToken()),
                    alg.jws(), null).getValue());
        }
        if (request.code() != null) {
            claims.claim("c_hash", CodeHash.compute(new AuthorizationCode(request.code()), alg.jws(), null)
                    .getValue());
        }
        JWTClaimsSet built = claims.build();
        if (alg == SigningAlgorithm.HS256) {
            return signer.signHmac(built, masterKey.openString(client.secret().sealed(), CLIENT_SECRET_PURPOSE),
                    JOSEObjectType.JWT);
        }
        return signer.signRsa(built, alg, JOSEObjectType.JWT);
    }

    /** The client's algorithm; HS256 needs a secret, so a public client falls back to RS256. */
    static SigningAlgorithm algorithm(Client client) {
        SigningAlgorithm alg = SigningAlgorithm.parse(client.jwtConfiguration().alg()).orElse(SigningAlgorithm.RS256);
        if (alg == SigningAlgorithm.HS256 && client.secret() == null) {
            return SigningAlgorithm.RS256;
        }
        return alg;
    }

    /** The JWS algorithm of the client's ID tokens. */
    public static JWSAlgorithm jws(Client client) {
        return algorithm(client).jws();
    }
}
