package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.SsoSession;
import dev.latchkey.server.identity.SsoSessionStore;
import dev.latchkey.server.token.RefreshToken;
import dev.latchkey.server.token.RefreshTokenStore;
import dev.latchkey.server.token.Revocations;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What users hold, in Auth0's shapes: refresh tokens ({@code /refresh-tokens}, {@code /users/{id}/refresh-tokens},
 * and as {@code /device-credentials} of type {@code refresh_token}) and SSO sessions ({@code /sessions}).
 * Deleting one revokes the authorizations behind it, with every token issued from them, at once on
 * every node. Only active refresh tokens are shown: an exchanged one is kept for reuse detection only.
 */
final class HeldTokensResource {

    private static final int MAX_TAKE = 100;
    private static final int DEFAULT_TAKE = 50;

    private final RefreshTokenStore refreshTokens;
    private final SsoSessionStore sessions;
    private final Revocations revocations;

    HeldTokensResource(RefreshTokenStore refreshTokens, SsoSessionStore sessions, Revocations revocations) {
        this.refreshTokens = refreshTokens;
        this.sessions = sessions;
        this.revocations = revocations;
    }

    /**
     * {@code GET /users/{id}/refresh-tokens}: {@code {"tokens":[...], "next":...}}, newest first, with
     * Auth0's checkpoint paging ({@code from} is the {@code next} of the previous page).
     */
    void refreshTokensOfUser(Context ctx, ManagementCaller caller) {
        Checkpoint checkpoint = Checkpoint.of(ctx);
        checkpoint.write(ctx, "tokens",
                refreshTokens.activeOfUser(ManagementRouter.pathParam(ctx, "id"), checkpoint.from(), checkpoint.take()),
                RefreshToken::id, HeldTokensResource::view);
    }

    void deleteRefreshTokensOfUser(Context ctx, ManagementCaller caller) {
        revokeAll(refreshTokens.activeOfUser(ManagementRouter.pathParam(ctx, "id"), Integer.MAX_VALUE));
        ctx.status(204);
    }

    void refreshToken(Context ctx, ManagementCaller caller) {
        Json.write(ctx, 200, view(activeRefreshToken(ManagementRouter.pathParam(ctx, "id"))));
    }

    void deleteRefreshToken(Context ctx, ManagementCaller caller) {
        revocations.authorization(activeRefreshToken(ManagementRouter.pathParam(ctx, "id")).authorizationId());
        ctx.status(204);
    }

    /** {@code GET /device-credentials?user_id=&client_id=&type=refresh_token}: a bare array, as Auth0. */
    void deviceCredentials(Context ctx, ManagementCaller caller) {
        String type = ctx.queryParam("type");
        String userId = ctx.queryParam("user_id");
        String clientId = ctx.queryParam("client_id");
        if (type != null && !type.equals("refresh_token")) {
            throw ManagementException.invalidQuery("Query validation error: 'No enum match for: \"" + type
                    + "\"' on property type (Type of credentials to retrieve).");
        }
        if (userId == null || userId.isBlank()) {
            throw ManagementException.invalidQuery("Query validation error: 'Missing required property: user_id'.");
        }
        ArrayNode body = Json.MAPPER.createArrayNode();
        for (RefreshToken token : refreshTokens.activeOfUser(userId, take(ctx))) {
            if (clientId == null || clientId.equals(token.clientId())) {
                body.addObject().put("id", token.id())
                        .put("device_name", "")
                        .put("device_id", "")
                        .put("type", "refresh_token")
                        .put("user_id", token.userId())
                        .put("client_id", token.clientId());
            }
        }
        Json.write(ctx, 200, body);
    }

    void deleteDeviceCredential(Context ctx, ManagementCaller caller) {
        deleteRefreshToken(ctx, caller);
    }

    void session(Context ctx, ManagementCaller caller) {
        Json.write(ctx, 200, view(session(ManagementRouter.pathParam(ctx, "id"))));
    }

    /** Ends the session and revokes what was authorized in it. */
    void deleteSession(Context ctx, ManagementCaller caller) {
        SsoSession session = session(ManagementRouter.pathParam(ctx, "id"));
        sessions.deleteBySid(session.sid());
        revocations.session(session.sid());
        ctx.status(204);
    }

    void sessionsOfUser(Context ctx, ManagementCaller caller) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("sessions");
        sessions.ofUser(ManagementRouter.pathParam(ctx, "id"), take(ctx)).forEach(s -> list.add(view(s)));
        Json.write(ctx, 200, body);
    }

    void deleteSessionsOfUser(Context ctx, ManagementCaller caller) {
        for (SsoSession session : sessions.ofUser(ManagementRouter.pathParam(ctx, "id"), Integer.MAX_VALUE)) {
            sessions.deleteBySid(session.sid());
            revocations.session(session.sid());
        }
        ctx.status(204);
    }

    private RefreshToken activeRefreshToken(String id) {
        return refreshTokens.findById(id).filter(token -> token.rotatedAt() == null).orElseThrow(() ->
                ManagementException.notFound("The refresh token does not exist", "inexistent_refresh_token"));
    }

    private SsoSession session(String sid) {
        return sessions.findBySid(sid).orElseThrow(() ->
                ManagementException.notFound("The session does not exist", "inexistent_session"));
    }

    private void revokeAll(List<RefreshToken> tokens) {
        Set<String> authorizations = new LinkedHashSet<>();
        tokens.forEach(token -> authorizations.add(token.authorizationId()));
        authorizations.forEach(revocations::authorization);
    }

    /** Auth0's checkpoint page size, {@code take}: 1 to 100, 50 by default. */
    private static int take(Context ctx) {
        return Paging.intParam(ctx, "take", DEFAULT_TAKE, 1, MAX_TAKE);
    }

    /** Auth0's refresh token object. */
    private static ObjectNode view(RefreshToken token) {
        ObjectNode node = Json.object()
                .put("id", token.id())
                .put("user_id", token.userId())
                .put("client_id", token.clientId())
                .put("created_at", Views.time(token.createdAt()));
        putTime(node, "idle_expires_at", token.idleExpiresAt());
        putTime(node, "expires_at", token.absoluteExpiresAt());
        putTime(node, "last_exchanged_at", token.lastUsedAt());
        node.putObject("device");
        if (token.sid() != null) {
            node.put("session_id", token.sid());
        } else {
            node.putNull("session_id");
        }
        node.put("rotating", token.rotating());
        ArrayNode servers = node.putArray("resource_servers");
        if (token.audience() != null) {
            servers.addObject().put("audience", token.audience()).put("scopes", String.join(" ", token.scopes()));
        }
        return node;
    }

    /** Auth0's session object. */
    private static ObjectNode view(SsoSession session) {
        ObjectNode node = Json.object()
                .put("id", session.sid())
                .put("user_id", session.userId())
                .put("created_at", Views.time(session.createdAt()))
                .put("updated_at", Views.time(session.createdAt()))
                .put("authenticated_at", Views.time(session.authTime()))
                .put("expires_at", Views.time(session.expiresAt()));
        putTime(node, "idle_expires_at", session.idleExpiresAt());
        node.putObject("device");
        node.putArray("clients");
        node.putObject("authentication").putArray("methods").addObject().put("name", "pwd")
                .put("timestamp", Views.time(session.authTime()));
        return node;
    }

    private static void putTime(ObjectNode node, String field, Instant value) {
        if (value != null) {
            node.put(field, Views.time(value));
        }
    }
}
