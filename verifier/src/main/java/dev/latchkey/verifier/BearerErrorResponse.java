package dev.latchkey.verifier;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to a refused request, for any HTTP framework: the status, the {@code WWW-Authenticate} challenge
 * (RFC 6750 §3) and a JSON body in the {@code {"error", "error_description"}} shape Latchkey and Auth0 use.
 */
public record BearerErrorResponse(int status, Optional<String> wwwAuthenticate, String jsonBody) {

    public static final String CONTENT_TYPE = "application/json";

    /** {@code realm} names the protected API; the adapters use the verifier's audience. */
    public static BearerErrorResponse of(String realm, TokenVerificationException refusal) {
        Optional<BearerError> error = refusal.bearerError();
        String description = quotable(refusal.getMessage());
        Optional<String> challenge = refusal.httpStatus() == 503
                ? Optional.empty() // not an authentication failure: nothing to challenge
                : Optional.of(challenge(realm, error, description, refusal));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.map(BearerError::code).orElse(refusal.httpStatus() == 503
                ? "temporarily_unavailable" : "unauthorized"));
        body.put("error_description", description);
        return new BearerErrorResponse(refusal.httpStatus(), challenge, JSONObjectUtils.toJSONString(body));
    }

    private static String challenge(String realm, Optional<BearerError> error, String description,
                                    TokenVerificationException refusal) {
        StringBuilder header = new StringBuilder("Bearer realm=\"").append(quotable(realm)).append('"');
        // RFC 6750 §3.1: a request with no credentials at all gets no error code.
        error.ifPresent(e -> {
            header.append(", error=\"").append(e.code()).append('"');
            header.append(", error_description=\"").append(description).append('"');
        });
        if (!refusal.requiredScopes().isEmpty()) {
            header.append(", scope=\"").append(quotable(String.join(" ", refusal.requiredScopes()))).append('"');
        }
        return header.toString();
    }

    /** RFC 6750 §3: attribute values are printable ASCII without {@code "} or {@code \}. */
    private static String quotable(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            out.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '_');
        }
        return out.toString();
    }
}
