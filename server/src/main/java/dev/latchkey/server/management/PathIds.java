package dev.latchkey.server.management;

import io.javalin.http.Context;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Finds what the path's {@code {id}} names; an id that could name nothing stored is not looked up. */
final class PathIds {

    private PathIds() {
    }

    static <T> T find(Context ctx, Function<String, Optional<T>> lookup, Supplier<ManagementException> notFound) {
        String id = ManagementRouter.pathParam(ctx, "id");
        if (!CleanText.lookable(id, IdList.MAX_ID_LENGTH)) {
            throw notFound.get();
        }
        return lookup.apply(id).orElseThrow(notFound);
    }
}
