package dev.latchkey.server.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An application (Auth0 "client"). {@code secret} is null for public clients; {@code refreshToken}
 * null means Auth0's defaults for the application type. {@code ipHeaderTrusted} is Auth0's
 * {@code is_token_endpoint_ip_header_trusted}: the password grant takes the end user's address from the
 * client's {@code auth0-forwarded-for} header.
 */
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
        Instant updatedAt,
        RefreshTokenSettings refreshToken,
        boolean ipHeaderTrusted) {

    public Client {
        grantTypes = List.copyOf(grantTypes);
        callbacks = List.copyOf(callbacks);
        allowedLogoutUrls = List.copyOf(allowedLogoutUrls);
        webOrigins = List.copyOf(webOrigins);
        allowedOrigins = List.copyOf(allowedOrigins);
        clientMetadata = Map.copyOf(clientMetadata);
        if (refreshToken == null) {
            refreshToken = RefreshTokenSettings.defaultFor(appType);
        }
    }

    public Client withRefreshToken(RefreshTokenSettings settings) {
        return new Client(clientId, name, description, appType, firstParty, system, tokenEndpointAuthMethod, secret,
                grantTypes, callbacks, allowedLogoutUrls, webOrigins, allowedOrigins, jwtConfiguration,
                clientMetadata, createdAt, updatedAt, settings, ipHeaderTrusted);
    }

    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }

    public boolean confidential() {
        return tokenEndpointAuthMethod != TokenEndpointAuthMethod.NONE;
    }
}
