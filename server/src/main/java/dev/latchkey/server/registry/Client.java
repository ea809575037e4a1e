package dev.latchkey.server.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An application (Auth0 "client"). {@code secret} is null for public clients. */
public record Client(
        String clientId,
        String name,
        String description,
        AppType appType,
        boolean firstParty,
        boolean system,
        TokenEndpointAuthMethod tokenEndpointAuthMethod,
        ClientSecret secret,
        List<String> grantTypes,
        List<String> callbacks,
        List<String> allowedLogoutUrls,
        List<String> webOrigins,
        List<String> allowedOrigins,
        JwtConfiguration jwtConfiguration,
        Map<String, String> clientMetadata,
        Instant createdAt,
        Instant updatedAt) {

    public Client {
        grantTypes = List.copyOf(grantTypes);
        callbacks = List.copyOf(callbacks);
        allowedLogoutUrls = List.copyOf(allowedLogoutUrls);
        webOrigins = List.copyOf(webOrigins);
        allowedOrigins = List.copyOf(allowedOrigins);
        clientMetadata = Map.copyOf(clientMetadata);
    }

    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }

    public boolean confidential() {
        return tokenEndpointAuthMethod != TokenEndpointAuthMethod.NONE;
    }
}
