package dev.latchkey.server.management;

import io.javalin.http.Context;

/** A Management API operation, called once the caller's token and scope are verified. */
@FunctionalInterface
interface ManagementHandler {
    void handle(Context ctx, ManagementCaller caller);
}
