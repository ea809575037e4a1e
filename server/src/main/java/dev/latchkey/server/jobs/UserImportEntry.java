package dev.latchkey.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ImportedPasswordHash;
import dev.latchkey.server.identity.NewUser;
import dev.latchkey.server.identity.UserAccountException;
import dev.latchkey.server.identity.UserAccounts;
import dev.latchkey.server.jobs.BulkUserStore.ImportedUser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One user of an import file checked against Auth0's user schema (Auth0 "Bulk User Import Database
 * Schema and Examples"): either the user to write, or the errors Auth0 would report for it.
 *
 * <p>Rules: the entry is an object of the schema's properties only; email is required; the text
 * properties are strings without control characters; {@code password_hash} and
 * {@code custom_password_hash} exclude each other; {@code app_metadata} may not hold Auth0's reserved
 * names; {@code mfa_factors} are not imported.
 */
final class UserImportEntry {

    private static final Set<String> PROPERTIES = Set.of("email", "email_verified", "user_id", "given_name",
            "family_name", "name", "nickname", "picture", "blocked", "password_hash", "custom_password_hash",
            "app_metadata", "user_metadata", "username", "mfa_factors");
    private static final Set<String> RESERVED_APP_METADATA = Set.of("__tenant", "_id", "blocked", "clientID",
            "created_at", "email_verified", "email", "globalClientID", "global_client_id", "identities", "lastIP",
            "lastLogin", "loginsCount", "metadata", "multifactor_last_modified", "multifactor", "updated_at",
            "user_id");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One error for the user: Auth0's code, a message, and the property it concerns. */
    record Problem(String code, String message, String path) {
    }

    /** The user to write, or (user null) the problems found. */
    record Checked(ImportedUser user, List<Problem> problems) {
    }

    private UserImportEntry() {
    }

    static Checked check(JsonNode entry, Connection connection, UserAccounts accounts) {
        List<Problem> problems = new ArrayList<>();
        if (entry == null || !entry.isObject()) {
            return new Checked(null, List.of(new Problem("INVALID_TYPE", "Expected type object", "")));
        }
        entry.fieldNames().forEachRemaining(name -> {
            if (!PROPERTIES.contains(name)) {
                problems.add(new Problem("OBJECT_ADDITIONAL_PROPERTIES", "Additional properties not allowed: " + name,
                        name));
            }
        });
        if (entry.has("username")) {
            problems.add(new Problem("INVALID_FORMAT", "username is not supported: the connection signs in by email",
                    "username"));
        }
        if (entry.has("mfa_factors")) {
            problems.add(new Problem("INVALID_FORMAT", "mfa_factors are not imported", "mfa_factors"));
        }
        String email = text(entry, "email", 320, problems);
        if (email == null && !entry.has("email")) {
            problems.add(new Problem("OBJECT_MISSING_REQUIRED_PROPERTY", "Missing required property: email", "email"));
        }
        Boolean emailVerified = bool(entry, "email_verified", problems);
        Boolean blocked = bool(entry, "blocked", problems);
        String userId = text(entry, "user_id", 64, problems);
        String name = text(entry, "name", 300, problems);
        String givenName = text(entry, "given_name", 150, problems);
        String familyName = text(entry, "family_name", 150, problems);
        String nickname = text(entry, "nickname", 300, problems);
        String picture = text(entry, "picture", 2000, problems);
        if (picture != null && !picture.startsWith("https://") && !picture.startsWith("http://")) {
            problems.add(new Problem("INVALID_FORMAT", "Object didn't pass validation for format url: " + picture,
                    "picture"));
        }
        Map<String, Object> appMetadata = object(entry, "app_metadata", problems);
        Map<String, Object> userMetadata = object(entry, "user_metadata", problems);
        if (appMetadata != null) {
            appMetadata.keySet().stream().filter(RESERVED_APP_METADATA::contains).forEach(key -> problems.add(
                    new Problem("INVALID_FORMAT", "app_metadata may not hold the property " + key, "app_metadata")));
        }
        String passwordHash = null;
        if (entry.has("password_hash") && entry.has("custom_password_hash")) {
            problems.add(new Problem("INVALID_FORMAT", "password_hash and custom_password_hash exclude each other",
                    "custom_password_hash"));
        } else {
            try {
                if (entry.has("password_hash")) {
                    passwordHash = ImportedPasswordHash.fromPasswordHash(entry.path("password_hash").asText(""));
                } else if (entry.has("custom_password_hash")) {
                    passwordHash = ImportedPasswordHash.fromCustom(entry.get("custom_password_hash"));
                }
            } catch (ImportedPasswordHash.Invalid e) {
                problems.add(new Problem("INVALID_FORMAT", e.getMessage(), e.path()));
            }
        }
        if (!problems.isEmpty()) {
            return new Checked(null, problems);
        }
        String id = userId == null ? null : userId.startsWith("auth0|") ? userId.substring(6) : userId;
        try {
            NewUser request = new NewUser(connection.name(), id, email, Boolean.TRUE.equals(emailVerified), null, null,
                    name, givenName, familyName, nickname, picture, userMetadata, appMetadata,
                    Boolean.TRUE.equals(blocked), null, null);
            return new Checked(new ImportedUser(accounts.profile(request, connection), passwordHash), List.of());
        } catch (UserAccountException e) {
            String path = e.getMessage().contains("user_id") ? "user_id" : "email";
            return new Checked(null, List.of(new Problem("INVALID_FORMAT", e.getMessage(), path)));
        }
    }

    /** The entry as reported in the job's errors: without its password hashes. */
    static ObjectNode reported(JsonNode entry) {
        if (entry == null || !entry.isObject()) {
            return MAPPER.createObjectNode();
        }
        ObjectNode copy = ((ObjectNode) entry).deepCopy();
        copy.remove(List.of("password_hash", "custom_password_hash"));
        return copy;
    }

    private static String text(JsonNode entry, String name, int max, List<Problem> problems) {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new Problem("INVALID_TYPE", "Expected type string but found type " + value.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT), name));
            return null;
        }
        String text = value.asText();
        if (text.isEmpty() || text.length() > max) {
            problems.add(new Problem("INVALID_FORMAT", "String length must be 1 to " + max, name));
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                problems.add(new Problem("INVALID_FORMAT", "String must not contain control characters", name));
                return null;
            }
        }
        return text;
    }

    private static Boolean bool(JsonNode entry, String name, List<Problem> problems) {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            problems.add(new Problem("INVALID_TYPE", "Expected type boolean", name));
            return null;
        }
        return value.booleanValue();
    }

    private static Map<String, Object> object(JsonNode entry, String name, List<Problem> problems) {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            problems.add(new Problem("INVALID_TYPE", "Expected type object", name));
            return null;
        }
        if (value.toString().indexOf('\u0000') >= 0 || value.toString().contains("\\u0000")) {
            problems.add(new Problem("INVALID_FORMAT", "Metadata must not contain NUL characters", name));
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = MAPPER.convertValue(value, Map.class);
        return map;
    }
}
