package dev.latchkey.server.management;

import dev.latchkey.server.http.Json;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

/**
 * {@code GET /api/v2/actions/actions}: Latchkey runs no Auth0 Actions, so the list is always empty, in
 * Auth0's shape ({@code {"actions":[],"total":0,"per_page":..,"page":..}}), so that tools that read every
 * resource of a tenant (auth0-deploy-cli's export) find nothing to do rather than an error.
 */
final class ActionsResource {

    void list(Context ctx, ManagementCaller caller) {
        PageRequest page = Paging.request(ctx);
        Json.write(ctx, 200, Json.object()
                .put("total", 0)
                .put("page", page.page())
                .put("per_page", page.perPage())
                .set("actions", Json.MAPPER.createArrayNode()));
    }
}
