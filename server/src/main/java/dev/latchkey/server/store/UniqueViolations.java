package dev.latchkey.server.store;

/** Recognises a unique-constraint violation in H2 and PostgreSQL alike (SQLSTATE 23505). */
final class UniqueViolations {
    private UniqueViolations() {
    }

    static boolean is(Throwable e) {
        return IntegrityViolations.hasState(e, "23505");
    }
}
