package dev.latchkey.server.identity;

import java.util.List;

/**
 * A users search as a typed tree: what Auth0's {@code q} (search engine v3) says, already checked
 * and with values typed for their field (emails and names lowercased, booleans, integers, times as
 * epoch milliseconds). Stores translate it to SQL with every value bound.
 */
public sealed interface UserQuery {

    /** Every user. */
    UserQuery ALL = new All();

    /** The users with this email (lowercased) in any connection. */
    static UserQuery emailIs(String email) {
        return new Equals(Column.EMAIL, email);
    }

    record All() implements UserQuery {
    }

    record And(List<UserQuery> parts) implements UserQuery {
        public And {
            parts = List.copyOf(parts);
        }
    }

    record Or(List<UserQuery> parts) implements UserQuery {
        public Or {
            parts = List.copyOf(parts);
        }
    }

    record Not(UserQuery query) implements UserQuery {
    }

    /** {@code target} equals {@code value}: a String, Boolean or Long as the column's kind says. */
    record Equals(Target target, Object value) implements UserQuery {
    }

    /** Text starting with {@code prefix} ({@code name:jo*}). */
    record Prefix(Target target, String prefix) implements UserQuery {
    }

    /** Text ending with {@code suffix} ({@code name:*usa}). */
    record Suffix(Target target, String suffix) implements UserQuery {
    }

    /** Between bounds; a null bound is open ({@code *}). Bounds are Long for numbers and times, else String. */
    record Range(Target target, Object from, boolean fromInclusive, Object to, boolean toInclusive)
            implements UserQuery {
    }

    /** The field has a value ({@code _exists_:field}, {@code field:*}). */
    record Exists(Target target) implements UserQuery {
    }

    /** What a condition is on: a user column, or a path into {@code app_metadata}/{@code user_metadata}. */
    sealed interface Target permits Column, Metadata {
    }

    /** The searchable profile fields, by kind. */
    enum Column implements Target {
        USER_ID(Kind.TEXT), EMAIL(Kind.LOWERCASE_TEXT), EMAIL_DOMAIN(Kind.LOWERCASE_TEXT), CONNECTION(Kind.TEXT),
        NAME(Kind.LOWERCASE_TEXT), GIVEN_NAME(Kind.LOWERCASE_TEXT), FAMILY_NAME(Kind.LOWERCASE_TEXT),
        NICKNAME(Kind.LOWERCASE_TEXT), PHONE_NUMBER(Kind.TEXT), LAST_IP(Kind.TEXT),
        EMAIL_VERIFIED(Kind.BOOLEAN), PHONE_VERIFIED(Kind.BOOLEAN), BLOCKED(Kind.BOOLEAN),
        LOGINS_COUNT(Kind.INTEGER), CREATED_AT(Kind.TIME), UPDATED_AT(Kind.TIME), LAST_LOGIN(Kind.TIME);

        private final Kind kind;

        Column(Kind kind) {
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }

        /** The values a column holds; LOWERCASE_TEXT is compared case-insensitively (Auth0's normalized fields). */
        public enum Kind { TEXT, LOWERCASE_TEXT, BOOLEAN, INTEGER, TIME }
    }

    /** A path of object keys under {@code app_metadata} ({@code app}) or {@code user_metadata}. */
    record Metadata(boolean app, List<String> path) implements Target {
        public Metadata {
            path = List.copyOf(path);
        }

        public String column() {
            return app ? "app_metadata" : "user_metadata";
        }
    }

    /** The store cannot run this query (e.g. metadata fields on a database without JSON operators). */
    final class Unsupported extends RuntimeException {
        public Unsupported(String message) {
            super(message, null, false, false);
        }
    }
}
