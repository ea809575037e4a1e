package dev.latchkey.server.rbac;

/** One scope of one API that a role or a user holds, named as Auth0's Management API names it. */
public record Permission(String apiIdentifier, String name) {
}
