package dev.latchkey.verifier;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.latchkey.verifier.TokenVerificationException.Reason.ISSUER_UNREACHABLE;
import static dev.latchkey.verifier.TokenVerificationException.Reason.MALFORMED;
import static dev.latchkey.verifier.TokenVerificationException.Reason.REJECTED_BY_ISSUER;

/**
 * Checks an opaque access token by presenting it to the issuer's userinfo endpoint (OIDC Core §5.3): a 200
 * answer vouches for it, a 401 or 403 refuses it. Answers are cached briefly, refusals for less time than
 * acceptances, keyed by a SHA-256 of the token so no token is kept. The answer holds only the user's claims:
 * no scopes and no audience (Auth0 issues opaque tokens only for userinfo).
 */
final class UserinfoTokens {

    private static final Logger log = LoggerFactory.getLogger(UserinfoTokens.class);
    /** RFC 6750 §2.1 b64token, so nothing else reaches the Authorization header. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final Duration ACCEPTED_FOR = Duration.ofSeconds(60);
    private static final Duration REFUSED_FOR = Duration.ofSeconds(10);
    private static final int CAPACITY = 10_000;

    /** A cached answer: the claims, or null for a refusal. */
    private record Answer(Map<String, Object> claims) {
    }

    private final String issuer;
    private final IssuerDiscovery discovery;
    private final IssuerHttp http;
    private final ExpiringCache<String, Answer> answers;

    UserinfoTokens(String issuer, IssuerDiscovery discovery, IssuerHttp http, Clock clock) {
        this.issuer = issuer;
        this.discovery = discovery;
        this.http = http;
        this.answers = new ExpiringCache<>(CAPACITY, clock);
    }

    VerifiedToken verify(String token) throws TokenVerificationException {
        if (!B64TOKEN.matcher(token).matches()) {
            throw new TokenVerificationException(MALFORMED, "The access token is not a valid bearer token");
        }
        String key = sha256(token);
        Answer answer = answers.get(key);
        if (answer == null) {
            answer = ask(token);
            answers.put(key, answer, answer.claims() == null ? REFUSED_FOR : ACCEPTED_FOR);
        }
        if (answer.claims() == null) {
            throw new TokenVerificationException(REJECTED_BY_ISSUER, "The issuer did not accept the access token");
        }
        return VerifiedToken.ofUserinfo(issuer, answer.claims());
    }

    private Answer ask(String token) throws TokenVerificationException {
        try {
            IssuerDiscovery.Metadata metadata = discovery.metadata();
            if (metadata.userinfoEndpoint().isEmpty()) {
                throw new IOException("discovery names no userinfo_endpoint");
            }
            IssuerHttp.Response response = http.getWithBearer(metadata.userinfoEndpoint().get(), token);
            if (response.status() == 401 || response.status() == 403) {
                return new Answer(null);
            }
            if (response.status() != 200) {
                throw new IOException("userinfo answered HTTP " + response.status());
            }
            Map<String, Object> claims = JSONObjectUtils.parse(response.body());
            if (!(claims.get("sub") instanceof String)) {
                throw new IOException("userinfo answered without a sub");
            }
            return new Answer(claims);
        } catch (IOException | ParseException e) {
            log.warn("Could not check an opaque access token at the issuer: {}", e.getMessage());
            throw new TokenVerificationException(ISSUER_UNREACHABLE,
                    "The issuer could not be reached to check the access token", e);
        }
    }

    private static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(digest).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
