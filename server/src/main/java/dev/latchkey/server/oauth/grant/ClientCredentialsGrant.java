package dev.latchkey.server.oauth.grant;

import com.nimbusds.oauth2.sdk.GrantType;
import dev.latchkey.server.oauth.AuthenticatedClient;
import dev.latchkey.server.oauth.OAuthException;
import dev.latchkey.server.oauth.TokenRequest;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientGrant;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.token.IssuedTokens;
import dev.latchkey.server.token.TokenIssuer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The client credentials grant (RFC 6749 §4.4) as Auth0 runs it: a confidential client, allowed
 * the grant, with a client grant for the requested audience, gets a JWT for that API carrying the
 * requested scopes, or every granted scope when none are requested. Nothing is stored per token but
 * the tenant log's entry (Auth0's {@code seccft} / {@code feccft}), written in batches off the request.
 */
public final class ClientCredentialsGrant implements Grant {

    private static final Events EVENTS = new Events("seccft", "feccft", "Client Credentials for Access Token");

    private final RegistryLookups lookups;
    private final TokenIssuer issuer;

    public ClientCredentialsGrant(RegistryLookups lookups, TokenIssuer issuer) {
        this.lookups = lookups;
        this.issuer = issuer;
    }

    @Override
    public String type() {
        return GrantType.CLIENT_CREDENTIALS.getValue();
    }

    @Override
    public Events events() {
        return EVENTS;
    }

    @Override
    public Granted handle(AuthenticatedClient caller, TokenRequest request) {
        Client client = caller.client();
        // RFC 6749 §4.4: only confidential clients may use this grant.
        if (!caller.authenticated()) {
            throw OAuthException.unauthorizedClient(
                    "Grant type 'client_credentials' is only for confidential clients with a secret.");
        }
        Grant.requireEnabled(client, type());
        // Auth0 §1.2: the tenant's default_audience when the request names none.
        String audience = request.param("audience").filter(value -> !value.isBlank())
                .or(() -> lookups.tenant().defaultAudience()).orElseThrow(() ->
                OAuthException.accessDenied(
                        "No audience parameter was provided, and no default audience has been configured"));
        ResourceServer api = lookups.api(audience).orElseThrow(() ->
                OAuthException.accessDenied("Service not enabled within domain: " + TokenRequest.echo(audience)));
        ClientGrant grant = lookups.clientGrant(client.clientId(), audience).orElseThrow(() ->
                OAuthException.accessDenied("Client is not authorized to access \"" + audience
                        + "\". You need to create a \"client-grant\" associated to this API."));
        List<String> scopes = scopes(request.scope().orElse(null), grant, api);
        return new Granted(IssuedTokens.of(issuer.forClient(client, api, grant, scopes)), null);
    }

    /** The requested scopes when all are granted, otherwise every granted scope the API still defines. */
    private static List<String> scopes(List<String> asked, ClientGrant grant, ResourceServer api) {
        Set<String> defined = api.scopeValues();
        List<String> granted = grant.scope().stream().filter(defined::contains).toList();
        if (asked == null) {
            return granted;
        }
        List<String> missing = new ArrayList<>();
        for (String scope : asked) {
            if (!granted.contains(scope)) {
                missing.add(scope);
            }
        }
        if (!missing.isEmpty()) {
            throw OAuthException.accessDenied("Client has not been granted scopes: "
                    + TokenRequest.echo(String.join(" ", missing)));
        }
        return asked;
    }
}
