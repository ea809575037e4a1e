package dev.latchkey.server.management;

import io.javalin.http.HandlerType;

import java.util.List;

/**
 * One operation of the Management API, declared once ({@link RouteTable}): its method and path (under
 * {@code /api/v2}), the scopes that allow it (any of, as Auth0), its handler, the body it takes (null for
 * none) and what it answers. The server's routes and the OpenAPI document are both made from these.
 */
record Operation(HandlerType method, String path, List<String> scopes, ManagementHandler handler,
                 PayloadSchema body, Answer answer) {

    /**
     * What an operation answers on success: a status and, unless 204, a body: one object of the named component
     * schema, a page of them (Auth0's bare array, or with {@code include_totals} an object), or some JSON.
     */
    record Answer(int status, boolean hasBody, String schema, boolean page) {

        static Answer one(String schema) {
            return new Answer(200, true, schema, false);
        }

        static Answer created(String schema) {
            return new Answer(201, true, schema, false);
        }

        static Answer page(String schema) {
            return new Answer(200, true, schema, true);
        }

        /** Some JSON, not described further. */
        static Answer json(int status) {
            return new Answer(status, true, null, false);
        }

        /** No body. */
        static Answer none(int status) {
            return new Answer(status, false, null, false);
        }
    }

    /** Auth0's style of operation id: {@code get_clients_by_id}, {@code post_rotate_secret}, ... */
    String operationId() {
        StringBuilder id = new StringBuilder(method.name().toLowerCase());
        for (String segment : path.substring(1).split("/")) {
            id.append('_').append(segment.startsWith("{")
                    ? "by_" + segment.substring(1, segment.length() - 1) : segment.replace('-', '_'));
        }
        return id.toString();
    }
}
