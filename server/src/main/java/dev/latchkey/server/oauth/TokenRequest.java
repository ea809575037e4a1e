package dev.latchkey.server.oauth;

import com.nimbusds.oauth2.sdk.Scope;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A token request (RFC 6749 §3.2), parsed once at the edge: its grant type, its single-valued
 * parameters (form or JSON body, Auth0 §1.4), the headers a grant may need (DPoP, Auth0's
 * forwarded-for), and the caller's address.
 */
public record TokenRequest(String grantType, Map<String, String> params, Map<String, String> headers,
                           String clientIp) {

    /** Echoed input is cut to this many characters in error descriptions. */
    static final int MAX_ECHO = 100;

    public TokenRequest {
        params = Map.copyOf(params);
        headers = Map.copyOf(headers);
    }

    public static TokenRequest of(Map<String, String> params, Map<String, String> headers, String clientIp) {
        String grantType = params.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            throw OAuthException.invalidRequest("Missing required parameter: grant_type");
        }
        return new TokenRequest(grantType, params, headers, clientIp);
    }

    /** The same request, from the end user at {@code address} (a trusted client's auth0-forwarded-for). */
    public TokenRequest from(String address) {
        return Objects.equals(address, clientIp) ? this : new TokenRequest(grantType, params, headers, address);
    }

    /** A parameter, absent when missing or empty (RFC 6749 §3.2: empty values are treated as omitted). */
    public Optional<String> param(String name) {
        String value = params.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The parameter, or RFC 6749 §5.2 {@code invalid_request} naming it. */
    public String required(String name) {
        return param(name).orElseThrow(() -> OAuthException.invalidRequest("Missing required parameter: " + name));
    }

    /** A parameter as sent, null when missing (an empty value stays empty). */
    public String raw(String name) {
        return params.get(name);
    }

    /** The requested scopes, deduplicated in order; empty when none were requested. */
    public Optional<List<String>> scope() {
        return param("scope").filter(value -> !value.isBlank())
                .map(value -> List.copyOf(new LinkedHashSet<>(Scope.parse(value).toStringList())));
    }

    /** A header by its lower-case name. */
    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }

    /** Input quoted back in an error, cut so that a huge value is not echoed whole. */
    public static String echo(String value) {
        return value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "...";
    }
}
