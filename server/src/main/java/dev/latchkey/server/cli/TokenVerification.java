package dev.latchkey.server.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;

/**
 * The checks {@code decode} runs on a token, each reported whether it passes or not: the signature
 * (Nimbus JOSE, with the issuer's JWKS for RS256/PS256 or the API's secret for HS256), {@code iss},
 * {@code exp}, {@code nbf}, and {@code aud} when one is expected (RFC 7519 §4.1, RFC 9068 §4).
 */
final class TokenVerification {

    /** One finding: {@code detail} reads after the name, e.g. "signature: valid (kid k1, RS256)". */
    record Check(String name, boolean passed, String detail) {
    }

    private final String issuer;
    private final String audience;
    private final Instant now;

    /** {@code audience} may be null: then {@code aud} is shown, not checked. */
    TokenVerification(String issuer, String audience, Instant now) {
        this.issuer = issuer;
        this.audience = audience;
        this.now = now;
    }

    /** {@code jwks} is asked for only when the algorithm needs it; {@code secret} may be null. */
    List<Check> run(SignedJWT jwt, JWTClaimsSet claims, Supplier<JWKSet> jwks, String secret) {
        List<Check> checks = new ArrayList<>();
        if (claims.getIssueTime() != null) {
            checks.add(new Check("issued", true, claims.getIssueTime().toInstant() + " (" + relative(claims.getIssueTime()) + ")"));
        }
        checks.add(expiry(claims));
        if (claims.getNotBeforeTime() != null) {
            Instant notBefore = claims.getNotBeforeTime().toInstant();
            checks.add(new Check("not before", !notBefore.isAfter(now), (notBefore.isAfter(now) ? "NOT YET VALID: " : "")
                    + notBefore + " (" + relative(claims.getNotBeforeTime()) + ")"));
        }
        checks.add(issuer(claims));
        if (audience != null) {
            boolean ok = claims.getAudience().contains(audience);
            checks.add(new Check("audience", ok, ok ? "ok (" + audience + ")"
                    : "WRONG: " + claims.getAudience() + " does not include " + audience));
        }
        checks.add(signature(jwt, jwks, secret));
        return checks;
    }

    private Check issuer(JWTClaimsSet claims) {
        String iss = claims.getIssuer();
        if (iss == null) {
            return new Check("issuer", false, "MISSING: the token has no iss; expected " + issuer);
        }
        return iss.equals(issuer) ? new Check("issuer", true, "ok (" + iss + ")")
                : new Check("issuer", false, "WRONG: " + iss + ", expected " + issuer + " (--issuer)");
    }

    private Check expiry(JWTClaimsSet claims) {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return new Check("expires", false, "MISSING: the token has no exp");
        }
        boolean live = exp.toInstant().isAfter(now);
        return new Check("expires", live, (live ? "" : "EXPIRED: ") + exp.toInstant() + " (" + relative(exp) + ")");
    }

    private Check signature(SignedJWT jwt, Supplier<JWKSet> jwks, String secret) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        String kid = jwt.getHeader().getKeyID();
        try {
            if (JWSAlgorithm.HS256.equals(alg)) {
                if (secret == null) {
                    return failed("NOT VERIFIED: HS256 tokens can only be checked with the API's signing secret; "
                            + "pass it with --secret (`./latchkey apis list --json` shows signing_secret)");
                }
                return jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)))
                        ? new Check("signature", true, "valid (HS256, with the given secret)")
                        : failed("INVALID: the token was altered, or signed with another secret");
            }
            if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.PS256.equals(alg)) {
                return failed("NOT VERIFIED: alg " + alg + " is not one Latchkey signs with (RS256, PS256, HS256)");
            }
            if (kid == null) {
                return failed("NOT VERIFIED: the header has no kid, so no key of the issuer can be chosen");
            }
            JWK key = jwks.get().getKeyByKeyId(kid);
            if (!(key instanceof RSAKey rsa)) {
                return failed("NOT VERIFIED: the issuer's JWKS has no RSA key with kid " + kid
                        + "; the token comes from another server, or its key was revoked");
            }
            if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
                return failed("INVALID: the key " + kid + " is for " + key.getAlgorithm() + ", the token says " + alg);
            }
            if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
                return failed("INVALID: the key " + kid + " is not a signing key");
            }
            return jwt.verify(new RSASSAVerifier(rsa))
                    ? new Check("signature", true, "valid (kid " + kid + ", " + alg + ")")
                    : failed("INVALID: the token was altered, or not signed by the key " + kid);
        } catch (KeyLengthException e) {
            return failed("NOT VERIFIED: the secret is shorter than 256 bits, so it is not the API's signing secret");
        } catch (JOSEException e) {
            return failed("NOT VERIFIED: " + e.getMessage());
        }
    }

    private static Check failed(String detail) {
        return new Check("signature", false, detail);
    }

    private String relative(Date date) {
        Duration between = Duration.between(now, date.toInstant());
        String amount = amount(between.abs());
        return between.isNegative() ? amount + " ago" : "in " + amount;
    }

    private static String amount(Duration duration) {
        if (duration.toDays() > 0) {
            return duration.toDays() + " d " + duration.toHoursPart() + " h";
        }
        if (duration.toHours() > 0) {
            return duration.toHours() + " h " + duration.toMinutesPart() + " min";
        }
        if (duration.toMinutes() > 0) {
            return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
        }
        return duration.toSeconds() + " s";
    }
}
