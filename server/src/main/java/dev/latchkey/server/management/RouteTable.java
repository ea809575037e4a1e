package dev.latchkey.server.management;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where Management API operations are declared: each call both installs the route (through the guard that
 * authenticates, rate-limits and checks scopes) and records its {@link Operation}, so that no route exists
 * without its entry in the OpenAPI document.
 */
final class RouteTable {

    private final ManagementRouter router;
    private final Function<Operation, Handler> guard;
    private final List<Operation> operations;

    RouteTable(ManagementRouter router, Function<Operation, Handler> guard, List<Operation> operations) {
        this.router = router;
        this.guard = guard;
        this.operations = operations;
    }

    void get(String path, ManagementHandler handler, Operation.Answer answer, String... scopes) {
        add(HandlerType.GET, path, handler, null, answer, scopes);
    }

    void post(String path, ManagementHandler handler, PayloadSchema body, Operation.Answer answer, String... scopes) {
        add(HandlerType.POST, path, handler, body, answer, scopes);
    }

    void patch(String path, ManagementHandler handler, PayloadSchema body, Operation.Answer answer, String... scopes) {
        add(HandlerType.PATCH, path, handler, body, answer, scopes);
    }

    void put(String path, ManagementHandler handler, Operation.Answer answer, String... scopes) {
        add(HandlerType.PUT, path, handler, null, answer, scopes);
    }

    void delete(String path, ManagementHandler handler, String... scopes) {
        delete(path, handler, Operation.Answer.none(204), scopes);
    }

    /** A delete that answers something other than Auth0's usual 204 (an unlink answers the identities left). */
    void delete(String path, ManagementHandler handler, Operation.Answer answer, String... scopes) {
        add(HandlerType.DELETE, path, handler, null, answer, scopes);
    }

    private void add(HandlerType method, String path, ManagementHandler handler, PayloadSchema body,
                     Operation.Answer answer, String... scopes) {
        Operation operation = new Operation(method, path, List.of(scopes), handler, body, answer);
        synchronized (operations) {
            operations.add(operation);
        }
        router.add(method, path, guard.apply(operation));
    }

    static List<Operation> snapshot(List<Operation> operations) {
        synchronized (operations) {
            return List.copyOf(new ArrayList<>(operations));
        }
    }
}
