package dev.latchkey.server.oauth.grant;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import dev.latchkey.server.oauth.AuthenticatedClient;
import dev.latchkey.server.oauth.OAuthException;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientGrant;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.token.AccessTokenRequest;
import dev.latchkey.server.token.JwtAccessTokenFormat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client credentials grant (RFC 6749 §4.4) as Auth0 runs it: a confidential client, allowed
 * the grant, with a client grant for the requested audience, gets a JWT for that API carrying the
 * requested scopes, or every granted scope when none are requested.
 */
public final class ClientCredentialsGrant implements Grant {

    /** Auth0's {@code gty} for this grant, as its published tokens spell it. */
    static final String GTY = "client-credentials";

    private final RegistryLookups lookups;
    private final JwtAccessTokenFormat tokens;

    public ClientCredentialsGrant(RegistryLookups lookups, JwtAccessTokenFormat tokens) {
        this.lookups = lookups;
        this.tokens = tokens;
    }

    @Override
    public String type() {
        return GrantType.CLIENT_CREDENTIALS.getValue();
    }

    @Override
    public TokenResponse handle(AuthenticatedClient caller, Map<String, String> params) {
        Client client = caller.client();
        // RFC 6749 §4.4: only confidential clients may use this grant.
        if (!caller.authenticated()) {
            throw OAuthException.unauthorizedClient(
                    "Grant type 'client_credentials' is only for confidential clients with a secret.");
        }
        if (!client.allowsGrant(type())) {
            throw OAuthException.unauthorizedClient("Grant type 'client_credentials' not allowed for the client.");
        }
        String audience = params.get("audience");
        if (audience == null || audience.isBlank()) {
            throw OAuthException.accessDenied(
                    "No audience parameter was provided, and no default audience has been configured");
        }
        ResourceServer api = lookups.api(audience).orElseThrow(() ->
                OAuthException.accessDenied("Service not enabled within domain: " + audience));
        ClientGrant grant = lookups.clientGrant(client.clientId(), audience).orElseThrow(() ->
                OAuthException.accessDenied("Client is not authorized to access \"" + audience
                        + "\". You need to create a \"client-grant\" associated to this API."));
        List<String> scopes = scopes(params.get("scope"), grant, api);
        return TokenResponse.of(tokens.issue(new AccessTokenRequest(
                api, client.clientId() + "@clients", client.clientId(), scopes, scopes, GTY, false,
                api.tokenLifetime())));
    }

    /** The requested scopes when all are granted, otherwise every granted scope the API still defines. */
    private static List<String> scopes(String requested, ClientGrant grant, ResourceServer api) {
        Set<String> defined = api.scopeValues();
        List<String> granted = grant.scope().stream().filter(defined::contains).toList();
        if (requested == null || requested.isBlank()) {
            return granted;
        }
        Set<String> asked = new LinkedHashSet<>(Scope.parse(requested).toStringList());
        List<String> missing = new ArrayList<>();
        for (String scope : asked) {
            if (!granted.contains(scope)) {
                missing.add(scope);
            }
        }
        if (!missing.isEmpty()) {
            throw OAuthException.accessDenied("Client has not been granted scopes: " + String.join(" ", missing));
        }
        return List.copyOf(asked);
    }
}
