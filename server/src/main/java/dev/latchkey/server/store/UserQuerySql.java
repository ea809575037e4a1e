package dev.latchkey.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.identity.UserQuery;
import dev.latchkey.server.identity.UserQuery.Column;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link UserQuery} as a SQL condition on {@code users}, with every value bound as a parameter
 * ({@code :q0}, {@code :q1}, ...). Column names and SQL come from this class only, never from the request.
 *
 * <p>Each condition is written the way the V14 indexes are declared, so PostgreSQL can use them:
 * {@code email} (stored lowercased) and {@code LOWER(name)} with {@code text_pattern_ops} serve
 * equality and prefixes; metadata equality is a jsonb containment ({@code @>}), served by the GIN
 * index on the column cast to jsonb; existence is a jsonpath test. H2 has no
 * such operators: a metadata condition there is {@link UserQuery.Unsupported}.
 */
record UserQuerySql(String condition, Map<String, Object> parameters) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static UserQuerySql of(UserQuery query, boolean postgres) {
        Writer writer = new Writer(postgres);
        String condition = writer.write(query);
        return new UserQuerySql(condition, writer.parameters);
    }

    private static final class Writer {
        private final boolean postgres;
        private final Map<String, Object> parameters = new LinkedHashMap<>();

        Writer(boolean postgres) {
            this.postgres = postgres;
        }

        String write(UserQuery query) {
            if (query instanceof UserQuery.And and) {
                return join(and.parts(), " AND ");
            }
            if (query instanceof UserQuery.Or or) {
                return join(or.parts(), " OR ");
            }
            if (query instanceof UserQuery.Not not) {
                // A user without the field is not a match, so NOT must include them (Lucene's NOT).
                return "((" + write(not.query()) + ") IS NOT TRUE)";
            }
            if (query instanceof UserQuery.Equals equals) {
                return equals(equals);
            }
            if (query instanceof UserQuery.Prefix prefix) {
                return like(prefix.target(), literal(prefix.prefix()) + "%");
            }
            if (query instanceof UserQuery.Suffix suffix) {
                return like(suffix.target(), "%" + literal(suffix.suffix()));
            }
            if (query instanceof UserQuery.Range range) {
                return range(range);
            }
            if (query instanceof UserQuery.Exists exists) {
                return exists(exists.target());
            }
            return "1 = 1"; // UserQuery.All
        }

        private String join(List<UserQuery> parts, String operator) {
            List<String> written = new ArrayList<>();
            for (UserQuery part : parts) {
                written.add("(" + write(part) + ")");
            }
            return String.join(operator, written);
        }

        private String equals(UserQuery.Equals equals) {
            if (equals.target() instanceof UserQuery.Metadata metadata) {
                return containment(metadata, (String) equals.value());
            }
            Column column = (Column) equals.target();
            if (column == Column.EMAIL_DOMAIN) {
                return "email LIKE " + bind("%@" + literal((String) equals.value())) + " ESCAPE '!'";
            }
            return expression(column) + " = " + bind(equals.value());
        }

        private String like(UserQuery.Target target, String pattern) {
            return text(target) + " LIKE " + bind(pattern) + " ESCAPE '!'";
        }

        private String range(UserQuery.Range range) {
            List<String> bounds = new ArrayList<>();
            if (range.target() instanceof UserQuery.Metadata metadata) {
                Object sample = range.from() != null ? range.from() : range.to();
                boolean numeric = sample instanceof BigDecimal
                        && (range.from() == null || range.from() instanceof BigDecimal)
                        && (range.to() == null || range.to() instanceof BigDecimal);
                String value = "jsonb_extract_path(" + json(metadata) + keys(metadata) + ")";
                bounds.add("jsonb_typeof(" + value + ") = '" + (numeric ? "number" : "string") + "'");
                String compared = numeric ? value : "(" + value + " #>> '{}')";
                addBounds(bounds, compared, numeric ? numeric(range.from()) : text(range.from()), range.fromInclusive(),
                        numeric ? numeric(range.to()) : text(range.to()), range.toInclusive());
                return String.join(" AND ", bounds);
            }
            String expression = expression((Column) range.target());
            addBounds(bounds, expression, range.from() == null ? null : bind(range.from()), range.fromInclusive(),
                    range.to() == null ? null : bind(range.to()), range.toInclusive());
            return String.join(" AND ", bounds);
        }

        private String numeric(Object bound) {
            return bound == null ? null : "to_jsonb(CAST(" + bind(((BigDecimal) bound).toPlainString()) + " AS numeric))";
        }

        private String text(Object bound) {
            return bound == null ? null : bind(bound.toString());
        }

        private static void addBounds(List<String> bounds, String expression, String from, boolean fromInclusive,
                                      String to, boolean toInclusive) {
            if (from != null) {
                bounds.add(expression + (fromInclusive ? " >= " : " > ") + from);
            }
            if (to != null) {
                bounds.add(expression + (toInclusive ? " <= " : " < ") + to);
            }
        }

        private String exists(UserQuery.Target target) {
            if (target instanceof UserQuery.Metadata metadata) {
                requirePostgres();
                // Keys are [A-Za-z0-9_-] only (checked by the parser), quoted as jsonpath member names.
                // Auth0: null values are not indexed, so they do not count as existing.
                StringBuilder path = new StringBuilder("$");
                metadata.path().forEach(key -> path.append(".\"").append(key).append('"'));
                path.append(" ? (@ != null)");
                return "jsonb_path_exists(" + json(metadata) + ", CAST(" + bind(path.toString()) + " AS jsonpath))";
            }
            return expression((Column) target) + " IS NOT NULL";
        }

        /**
         * Auth0 matches a metadata value by its text whatever its JSON type, and through arrays: each
         * reading of the value (string, number, boolean) at the path, alone or in an array, is one
         * containment test, all served by the GIN index.
         */
        private String containment(UserQuery.Metadata metadata, String value) {
            requirePostgres();
            List<JsonNode> leaves = new ArrayList<>();
            leaves.add(JsonNodeFactory.instance.textNode(value));
            if (value.equals("true") || value.equals("false")) {
                leaves.add(JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(value)));
            }
            try {
                leaves.add(JsonNodeFactory.instance.numberNode(new BigDecimal(value)));
            } catch (NumberFormatException notANumber) {
                // text only
            }
            List<String> tests = new ArrayList<>();
            for (JsonNode leaf : leaves) {
                tests.add(json(metadata) + " @> CAST(" + bind(nest(metadata.path(), leaf)) + " AS jsonb)");
                tests.add(json(metadata) + " @> CAST(" + bind(nest(metadata.path(),
                        JsonNodeFactory.instance.arrayNode().add(leaf))) + " AS jsonb)");
            }
            return String.join(" OR ", tests);
        }

        private static String nest(List<String> path, JsonNode leaf) {
            JsonNode node = leaf;
            for (int i = path.size() - 1; i >= 0; i--) {
                ObjectNode parent = JsonNodeFactory.instance.objectNode();
                parent.set(path.get(i), node);
                node = parent;
            }
            try {
                return JSON.writeValueAsString(node);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private String json(UserQuery.Metadata metadata) {
            requirePostgres();
            return "CAST(" + metadata.column() + " AS jsonb)";
        }

        private String keys(UserQuery.Metadata metadata) {
            StringBuilder keys = new StringBuilder();
            metadata.path().forEach(key -> keys.append(", ").append(bind(key)));
            return keys.toString();
        }

        private String text(UserQuery.Target target) {
            if (target instanceof UserQuery.Metadata metadata) {
                return "jsonb_extract_path_text(" + json(metadata) + keys(metadata) + ")";
            }
            return expression((Column) target);
        }

        private void requirePostgres() {
            if (!postgres) {
                throw new UserQuery.Unsupported("app_metadata and user_metadata fields can be searched when "
                        + "Latchkey runs on PostgreSQL");
            }
        }

        private static String expression(Column column) {
            return switch (column) {
                case USER_ID -> "user_id";
                case EMAIL, EMAIL_DOMAIN -> "email";
                case CONNECTION -> "connection";
                case NAME -> "LOWER(name)";
                case GIVEN_NAME -> "LOWER(given_name)";
                case FAMILY_NAME -> "LOWER(family_name)";
                case NICKNAME -> "LOWER(nickname)";
                case PHONE_NUMBER -> "phone_number";
                case LAST_IP -> "last_ip";
                case EMAIL_VERIFIED -> "email_verified";
                case PHONE_VERIFIED -> "phone_verified";
                case BLOCKED -> "blocked";
                case LOGINS_COUNT -> "logins_count";
                case CREATED_AT -> "created_at";
                case UPDATED_AT -> "updated_at";
                case LAST_LOGIN -> "last_login";
            };
        }

        /** {@code value} matched literally in a LIKE pattern ({@code ESCAPE '!'}: no backslash for JDBI to read). */
        private static String literal(String value) {
            return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        }

        private String bind(Object value) {
            String name = "q" + parameters.size();
            parameters.put(name, value);
            return ":" + name;
        }
    }
}
