package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;

import java.net.URI;
import java.text.ParseException;

/**
 * The issuer's public signing keys, found as a relying party finds them: the discovery document
 * ({@code <issuer>.well-known/openid-configuration}, OIDC Discovery 1.0 §4), whose {@code issuer}
 * must equal the URL it was fetched for (§4.3), then its {@code jwks_uri} (RFC 7517 §5).
 */
final class IssuerKeys {

    private final IssuerConnection connection;

    IssuerKeys(IssuerConnection connection) {
        this.connection = connection;
    }

    JWKSet fetch() {
        String issuer = connection.issuer().toString();
        URI discoveryUri = connection.resolve(".well-known/openid-configuration");
        JsonNode discovery = ok(connection.get(discoveryUri, null), discoveryUri);
        String said = discovery.path("issuer").asText("");
        if (!said.equals(issuer)) {
            // OIDC Discovery 1.0 §4.3: the issuer must be identical to the one the document was asked for.
            throw CliException.failed("The server at " + issuer + " says its issuer is '" + said
                    + "'. Pass that exact URL as --issuer.");
        }
        URI jwksUri;
        try {
            jwksUri = URI.create(discovery.path("jwks_uri").asText(""));
        } catch (IllegalArgumentException e) {
            throw CliException.failed("The discovery document of " + issuer + " has no usable jwks_uri.");
        }
        if (!jwksUri.isAbsolute()) {
            throw CliException.failed("The discovery document of " + issuer + " has no usable jwks_uri.");
        }
        JsonNode jwks = ok(connection.get(jwksUri, null), jwksUri);
        try {
            return JWKSet.parse(jwks.toString());
        } catch (ParseException e) {
            throw CliException.failed(jwksUri + " is not a JWK set: " + e.getMessage());
        }
    }

    private static JsonNode ok(ServerAnswer answer, URI uri) {
        if (!answer.ok() || answer.body() == null || !answer.body().isObject()) {
            throw CliException.failed("GET " + uri + " failed: " + answer.errorMessage()
                    + ". Is --issuer the URL of a Latchkey server?");
        }
        return answer.body();
    }
}
