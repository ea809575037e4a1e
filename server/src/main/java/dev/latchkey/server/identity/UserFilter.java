package dev.latchkey.server.identity;

import java.util.List;

/**
 * Conditions on users, all of which must hold (an empty list matches everyone). Produced from the
 * Management API's {@code q} parameter.
 */
public record UserFilter(List<Condition> conditions) {

    public static final UserFilter ALL = new UserFilter(List.of());

    public UserFilter {
        conditions = List.copyOf(conditions);
    }

    /** The user fields a query may name. */
    public enum Field {
        USER_ID("user_id"), EMAIL("email"), CONNECTION("connection"), NAME("name"), NICKNAME("nickname"),
        GIVEN_NAME("given_name"), FAMILY_NAME("family_name"), EMAIL_VERIFIED("email_verified"),
        BLOCKED("blocked");

        private final String column;

        Field(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }

        public boolean isBoolean() {
            return this == EMAIL_VERIFIED || this == BLOCKED;
        }
    }

    /**
     * {@code field} equals {@code value}, or starts with it when {@code prefix} (a trailing {@code *}).
     * Emails and user ids are compared as stored (emails lowercased); other text case-sensitively.
     */
    public record Condition(Field field, String value, boolean prefix) {
    }
}
