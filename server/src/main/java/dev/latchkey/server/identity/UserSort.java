package dev.latchkey.server.identity;

/** The order of a user list: Auth0's {@code sort=field:1} (ascending) or {@code field:-1}. */
public record UserSort(Field field, boolean ascending) {

    public static final UserSort DEFAULT = new UserSort(Field.CREATED_AT, true);

    public enum Field {
        CREATED_AT("created_at"), UPDATED_AT("updated_at"), LAST_LOGIN("last_login"), EMAIL("email"),
        NAME("name"), LOGINS_COUNT("logins_count"), USER_ID("user_id");

        private final String column;

        Field(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }
    }
}
