package dev.latchkey.server.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import dev.latchkey.server.http.CallerLimit;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.ratelimit.ClientFailureThrottle;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.TokenEndpointAuthMethod;
import io.javalin.http.Context;

import java.util.Map;
import java.util.Optional;

/**
 * Client authentication at the token endpoint (RFC 6749 §2.3.1): HTTP Basic or
 * {@code client_id}/{@code client_secret} in the body, never both, and only the one the client registered
 * ({@code token_endpoint_auth_method}, as Auth0 enforces). Secrets are checked against a
 * SHA-256 digest in constant time; an unknown client costs the same digest so that response time
 * does not tell which client ids exist.
 * <p>Failed authentications spend the client_id's bucket ({@link ClientFailureThrottle}), so guessing one
 * client's secret is slowed down; a client that authenticates spends its own bucket ({@link CallerLimit}).
 */
public final class ClientAuthenticator {

    private static final String UNKNOWN_CLIENT_DIGEST = SecretHash.of("latchkey-unknown-client");
    private static final String FAILED = "Unknown client or wrong client secret";

    private final RegistryLookups lookups;
    private final ClientFailureThrottle failures;
    private final CallerLimit clientLimit;

    public ClientAuthenticator(RegistryLookups lookups, ClientFailureThrottle failures, CallerLimit clientLimit) {
        this.lookups = lookups;
        this.failures = failures;
        this.clientLimit = clientLimit;
    }

    /** Authenticates the caller of {@code ctx}; a client that proved its secret is charged its own bucket. */
    public AuthenticatedClient authenticate(Context ctx, Map<String, String> params) {
        AuthenticatedClient client = authenticate(params, ctx.header("Authorization"));
        if (client.authenticated()) {
            clientLimit.charge(ctx, client.client().clientId());
        }
        return client;
    }

    /** The caller named by the body and the Authorization header, without charging any rate limit. */
    AuthenticatedClient authenticate(Map<String, String> params, String authorizationHeader) {
        String bodyClientId = params.get("client_id");
        String bodySecret = params.get("client_secret");
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            ClientSecretBasic basic;
            try {
                basic = ClientSecretBasic.parse(authorizationHeader);
            } catch (ParseException e) {
                throw OAuthException.invalidClient("Malformed HTTP Basic credentials", true);
            }
            // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
            if (bodySecret != null) {
                throw OAuthException.invalidRequest(
                        "Send the client secret either with HTTP Basic or in the body, not both");
            }
            String clientId = basic.getClientID().getValue();
            if (bodyClientId != null && !bodyClientId.equals(clientId)) {
                throw OAuthException.invalidRequest("client_id in the body differs from the HTTP Basic user");
            }
            return verify(clientId, basic.getClientSecret().getValue(), true);
        }
        if (bodyClientId == null || bodyClientId.isEmpty()) {
            throw OAuthException.invalidClient(
                    "Client authentication is required: send client_id and client_secret, or HTTP Basic", false);
        }
        return verify(bodyClientId, bodySecret, false);
    }

    private AuthenticatedClient verify(String clientId, String secret, boolean usedBasic) {
        failures.admit(clientId);
        Optional<Client> found = lookups.client(clientId);
        if (found.isEmpty()) {
            SecretHash.matches(secret == null ? "" : secret, UNKNOWN_CLIENT_DIGEST);
            throw failed(clientId, OAuthException.invalidClient(FAILED, usedBasic));
        }
        Client client = found.get();
        if (!client.confidential()) {
            // A public client has no secret to prove; the grant decides whether that is enough.
            return new AuthenticatedClient(client, false, usedBasic);
        }
        if (secret == null || secret.isEmpty()) {
            throw failed(clientId,
                    OAuthException.invalidClient("This client must authenticate with its client secret", usedBasic));
        }
        if (client.secret() == null || !client.secret().matches(secret)) {
            throw failed(clientId, OAuthException.invalidClient(FAILED, usedBasic));
        }
        // Auth0 enforces the registered method: a client_secret_post client may not use HTTP Basic, nor
        // the other way round (checked after the secret, so it tells nothing to a caller without it).
        TokenEndpointAuthMethod registered = client.tokenEndpointAuthMethod();
        if (usedBasic != (registered == TokenEndpointAuthMethod.CLIENT_SECRET_BASIC)) {
            String used = usedBasic ? "HTTP Basic" : "client_secret in the body";
            throw OAuthException.invalidClient("The client authenticates with " + registered.value()
                    + " (its token_endpoint_auth_method), not " + used, usedBasic);
        }
        return new AuthenticatedClient(client, true, usedBasic);
    }

    /** Counts a failed authentication of {@code clientId}: the failure to answer, or a 429 once they are spent. */
    private OAuthException failed(String clientId, OAuthException failure) {
        failures.failed(clientId);
        return failure;
    }
}
