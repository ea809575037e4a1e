package dev.latchkey.server.management;

import dev.latchkey.server.token.Revocations;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.oauth.authorize.UserGrant;
import dev.latchkey.server.oauth.authorize.UserGrantStore;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

/**
 * {@code /api/v2/grants}: the consents users gave applications (Auth0 "user grants"), in Auth0's
 * shape {@code {id, clientID, user_id, audience, scope[]}}. Deleting one makes the consent page
 * appear again next time.
 */
final class GrantsResource {

    private final UserGrantStore store;
    private final Revocations revocations;
    private final String userinfoAudience;

    GrantsResource(UserGrantStore store, Revocations revocations, String userinfoAudience) {
        this.store = store;
        this.revocations = revocations;
        this.userinfoAudience = userinfoAudience;
    }

    void list(Context ctx, ManagementCaller caller) {
        PageRequest page = Paging.request(ctx);
        Paging.write(ctx, "grants", page, store.list(page, blankToNull(ctx.queryParam("user_id")),
                blankToNull(ctx.queryParam("client_id")), blankToNull(ctx.queryParam("audience"))),
                GrantsResource::view);
    }

    /** Deleting a grant also revokes every token issued under it (Auth0 §8.2). */
    void delete(Context ctx, ManagementCaller caller) {
        UserGrant grant = store.findById(ManagementRouter.pathParam(ctx, "id")).orElseThrow(() ->
                ManagementException.notFound("The grant does not exist", "inexistent_grant"));
        store.delete(grant.id());
        revocations.grant(grant.userId(), grant.clientId(),
                grant.audience().equals(userinfoAudience) ? null : grant.audience());
        ctx.status(204);
    }

    /** {@code DELETE /api/v2/grants?user_id=}: every grant of one user. */
    void deleteByUser(Context ctx, ManagementCaller caller) {
        String userId = blankToNull(ctx.queryParam("user_id"));
        if (userId == null) {
            throw ManagementException.invalidQuery("Query validation error: 'Missing required property: user_id'.");
        }
        store.deleteByUser(userId);
        revocations.user(userId);
        ctx.status(204);
    }

    static ObjectNode view(UserGrant grant) {
        ObjectNode node = Json.object()
                .put("id", grant.id())
                .put("clientID", grant.clientId())
                .put("user_id", grant.userId())
                .put("audience", grant.audience());
        ArrayNode scope = node.putArray("scope");
        grant.scopes().forEach(scope::add);
        return node;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
