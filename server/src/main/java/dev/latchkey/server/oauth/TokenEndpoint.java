package dev.latchkey.server.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Cors;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.oauth.grant.Grant;
import dev.latchkey.server.oauth.grant.TokenResponse;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /oauth/token} (RFC 6749 §3.2): read the body, authenticate the client, hand the
 * request to the grant named by {@code grant_type}, answer with tokens and {@code no-store}.
 */
public final class TokenEndpoint {

    private final ClientAuthenticator authenticator;
    private final Map<String, Grant> grants = new LinkedHashMap<>();
    private final Map<String, Counter> issued = new LinkedHashMap<>();

    public TokenEndpoint(ClientAuthenticator authenticator, List<Grant> grants, MeterRegistry metrics) {
        this.authenticator = authenticator;
        for (Grant grant : grants) {
            this.grants.put(grant.type(), grant);
            this.issued.put(grant.type(), Counter.builder("latchkey_tokens_issued")
                    .description("Token responses issued").tag("grant_type", grant.type()).register(metrics));
        }
    }

    public List<String> grantTypes() {
        return List.copyOf(grants.keySet());
    }

    public void handle(Context ctx) {
        Map<String, String> params = TokenRequestBody.parse(ctx.header("Content-Type"), body(ctx));
        String grantType = params.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            throw OAuthException.invalidRequest("Missing required parameter: grant_type");
        }
        Grant grant = grants.get(grantType);
        if (grant == null) {
            throw OAuthException.unsupportedGrantType("Unsupported grant type: " + grantType);
        }
        AuthenticatedClient client = authenticator.authenticate(params, ctx.header("Authorization"));
        // CORS: only the client's own Allowed Web Origins may read its tokens.
        Cors.restrictTo(ctx, client.client().webOrigins());
        TokenResponse response = grant.handle(client, params);
        issued.get(grantType).increment();
        write(ctx, response);
    }

    private static byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > TokenRequestBody.MAX_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(TokenRequestBody.MAX_BYTES + 1);
            if (body.length > TokenRequestBody.MAX_BYTES) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw OAuthException.invalidRequest("The request body could not be read");
        }
    }

    private static OAuthException tooLarge() {
        return OAuthException.invalidRequest("The request body is larger than 1 MB");
    }

    /** RFC 6749 §5.1: JSON, {@code Cache-Control: no-store}. */
    private static void write(Context ctx, TokenResponse response) {
        ObjectNode body = Json.object()
                .put("access_token", response.accessToken().value())
                .put("token_type", "Bearer")
                .put("expires_in", response.accessToken().expiresIn());
        if (!response.accessToken().scope().isEmpty()) {
            body.put("scope", response.accessToken().scope());
        }
        if (response.idToken() != null) {
            body.put("id_token", response.idToken());
        }
        if (response.refreshToken() != null) {
            body.put("refresh_token", response.refreshToken());
        }
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        Json.write(ctx, 200, body);
    }
}
