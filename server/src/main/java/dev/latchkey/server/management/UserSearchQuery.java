package dev.latchkey.server.management;

import dev.latchkey.server.identity.UserQuery;
import dev.latchkey.server.identity.UserQuery.Column;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses Auth0's users search syntax ({@code q}, search engine v3; Auth0 "User Search Query Syntax")
 * into a {@link UserQuery}.
 *
 * <pre>
 * query   := or
 * or      := and ( ("OR" | "||")? and )*        -- no operator between clauses: OR (Lucene's default)
 * and     := unary ( ("AND" | "&&") unary | not-unary )*   -- "a NOT b" is a AND NOT b
 * unary   := ("NOT" | "!" | "-") unary | primary
 * primary := "(" or ")" | field ":" value | "_exists_:" field | value
 * value   := word | word* | *word | * | "phrase" | [a TO b] | {a TO b} | "(" or ")" (under the field)
 * </pre>
 *
 * Rules (Auth0 "User Search Query Syntax"):
 * operators are capitalized; email, name, given_name, family_name and nickname match case-insensitively,
 * everything else (metadata included) case-sensitively; a term without a field searches the normalized
 * fields, never metadata; wildcards and ranges are not available on user_metadata; a suffix wildcard
 * needs three characters or more. Anything else is refused with a 400 rather than answered wrongly, as
 * is a query longer than {@link #MAX_LENGTH}, nested deeper than {@link #MAX_DEPTH} or with more than
 * {@link #MAX_TERMS} terms.
 */
final class UserSearchQuery {

    static final int MAX_LENGTH = 2_000;
    static final int MAX_DEPTH = 12;
    static final int MAX_TERMS = 50;
    static final int MAX_METADATA_DEPTH = 8;
    private static final int MIN_SUFFIX = 3;
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final String SPECIAL = "()[]{}\"^~?:\\/+!";
    private static final Map<String, Column> COLUMNS = Map.ofEntries(
            Map.entry("user_id", Column.USER_ID), Map.entry("email", Column.EMAIL),
            Map.entry("email.domain", Column.EMAIL_DOMAIN), Map.entry("connection", Column.CONNECTION),
            Map.entry("identities.connection", Column.CONNECTION), Map.entry("name", Column.NAME),
            Map.entry("given_name", Column.GIVEN_NAME), Map.entry("family_name", Column.FAMILY_NAME),
            Map.entry("nickname", Column.NICKNAME), Map.entry("phone_number", Column.PHONE_NUMBER),
            Map.entry("last_ip", Column.LAST_IP), Map.entry("email_verified", Column.EMAIL_VERIFIED),
            Map.entry("phone_verified", Column.PHONE_VERIFIED), Map.entry("blocked", Column.BLOCKED),
            Map.entry("logins_count", Column.LOGINS_COUNT), Map.entry("created_at", Column.CREATED_AT),
            Map.entry("updated_at", Column.UPDATED_AT), Map.entry("last_login", Column.LAST_LOGIN));
    /** What a term without a field searches (Auth0: the normalized fields, never metadata). */
    private static final List<Column> BARE_TERM_COLUMNS = List.of(Column.EMAIL, Column.NAME, Column.GIVEN_NAME,
            Column.FAMILY_NAME, Column.NICKNAME);

    private final String q;
    private int at;
    private int depth;
    private int terms;

    private UserSearchQuery(String q) {
        this.q = q;
    }

    /** The query {@code q} asks for; {@link UserQuery#ALL} when it is absent or blank. */
    static UserQuery parse(String q) {
        if (q == null || q.isBlank()) {
            return UserQuery.ALL;
        }
        if (q.length() > MAX_LENGTH) {
            throw invalid("the query is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < q.length(); i++) {
            if (Character.isISOControl(q.charAt(i)) && !Character.isWhitespace(q.charAt(i))) {
                throw invalid("control characters are not allowed");
            }
        }
        UserSearchQuery parser = new UserSearchQuery(q);
        UserQuery query = parser.or(null);
        parser.skipSpaces();
        if (parser.at < q.length()) {
            throw invalid(q.charAt(parser.at) == ')' ? "unbalanced parentheses" : "unexpected " + parser.rest());
        }
        return query;
    }

    private UserQuery or(String field) {
        enter();
        List<UserQuery> parts = new ArrayList<>();
        parts.add(and(field));
        while (true) {
            skipSpaces();
            if (keyword("OR") || symbol("||")) {
                parts.add(and(field));
            } else if (at < q.length() && q.charAt(at) != ')') {
                parts.add(and(field)); // Lucene: clauses without an operator are optional (OR)
            } else {
                break;
            }
        }
        depth--;
        return parts.size() == 1 ? parts.get(0) : new UserQuery.Or(parts);
    }

    private UserQuery and(String field) {
        List<UserQuery> parts = new ArrayList<>();
        parts.add(unary(field));
        while (true) {
            skipSpaces();
            if (keyword("AND") || symbol("&&")) {
                parts.add(unary(field));
            } else if (startsNot()) {
                parts.add(unary(field)); // "a NOT b": b is prohibited, a still required
            } else {
                break;
            }
        }
        return parts.size() == 1 ? parts.get(0) : new UserQuery.And(parts);
    }

    private UserQuery unary(String field) {
        skipSpaces();
        if (keyword("NOT") || symbol("!") || symbol("-")) {
            enter();
            UserQuery negated = new UserQuery.Not(unary(field));
            depth--;
            return negated;
        }
        return primary(field);
    }

    private UserQuery primary(String field) {
        skipSpaces();
        if (at >= q.length()) {
            throw invalid("a term is missing at the end");
        }
        char c = q.charAt(at);
        if (c == '(') {
            at++;
            UserQuery group = or(field);
            skipSpaces();
            if (!symbol(")")) {
                throw invalid("unbalanced parentheses");
            }
            return group;
        }
        if (c == ')') {
            throw invalid("unbalanced parentheses");
        }
        if (startsWithOperator()) {
            throw invalid("an operator has no term before it: " + rest());
        }
        String named = fieldName();
        if (named != null) {
            if (field != null) {
                throw invalid("a field inside a group of " + field + " values");
            }
            if (named.equals("_exists_")) {
                String existing = fieldName(false);
                if (existing == null) {
                    throw invalid("_exists_ needs a field name");
                }
                count();
                return new UserQuery.Exists(target(existing));
            }
            if (at < q.length() && q.charAt(at) == '(') {
                at++;
                UserQuery group = or(named);
                skipSpaces();
                if (!symbol(")")) {
                    throw invalid("unbalanced parentheses");
                }
                return group;
            }
            return value(named);
        }
        return value(field);
    }

    /** One value for {@code field}, or for the normalized fields when null. */
    private UserQuery value(String field) {
        count();
        if (at >= q.length() || Character.isWhitespace(q.charAt(at)) || q.charAt(at) == ')') {
            throw invalid("a value is missing" + (field == null ? "" : " for " + field));
        }
        char c = q.charAt(at);
        if (c == '[' || c == '{') {
            return range(field, c == '[');
        }
        if (c == '"') {
            String phrase = quoted();
            return term(field, phrase, false, false);
        }
        StringBuilder word = new StringBuilder();
        boolean leadingStar = false;
        boolean trailingStar = false;
        while (at < q.length() && !Character.isWhitespace(q.charAt(at)) && q.charAt(at) != ')') {
            char next = q.charAt(at++);
            if (trailingStar) {
                throw invalid("a wildcard may only begin or end a value");
            }
            if (next == '\\') {
                if (at >= q.length()) {
                    throw invalid("a value ends with an escape");
                }
                word.append(q.charAt(at++));
            } else if (next == '*') {
                if (word.length() == 0 && !leadingStar) {
                    leadingStar = true;
                } else {
                    trailingStar = true;
                }
            } else if (SPECIAL.indexOf(next) >= 0) {
                throw invalid("unsupported character " + next + " in a value; quote or escape it");
            } else {
                word.append(next);
            }
        }
        if (word.length() == 0) {
            if (leadingStar && !trailingStar) {
                return new UserQuery.Exists(target(requireField(field, "*"))); // field:* (Lucene: has a value)
            }
            throw invalid("a value is missing or is only a wildcard");
        }
        if (leadingStar && trailingStar) {
            throw invalid("a value may have a wildcard at one end only");
        }
        return term(field, word.toString(), trailingStar, leadingStar);
    }

    private UserQuery term(String field, String value, boolean prefix, boolean suffix) {
        if (field == null) {
            List<UserQuery> anyField = new ArrayList<>();
            for (Column column : BARE_TERM_COLUMNS) {
                anyField.add(columnTerm(column, "(any field)", value, prefix, suffix));
            }
            return new UserQuery.Or(anyField);
        }
        UserQuery.Target target = target(field);
        if (target instanceof UserQuery.Metadata metadata) {
            if ((prefix || suffix) && !metadata.app()) {
                throw invalid("wildcards are not available on user_metadata fields");
            }
            if (suffix) {
                throw invalid("suffix wildcards are not available on metadata fields");
            }
            return prefix ? new UserQuery.Prefix(metadata, value) : new UserQuery.Equals(metadata, value);
        }
        return columnTerm((Column) target, field, value, prefix, suffix);
    }

    private static UserQuery columnTerm(Column column, String field, String value, boolean prefix, boolean suffix) {
        switch (column.kind()) {
            case TEXT, LOWERCASE_TEXT -> {
                String text = column.kind() == Column.Kind.LOWERCASE_TEXT ? value.toLowerCase(Locale.ROOT) : value;
                if (suffix && text.length() < MIN_SUFFIX) {
                    throw invalid("a suffix wildcard needs at least " + MIN_SUFFIX + " characters");
                }
                if ((prefix || suffix) && column == Column.EMAIL_DOMAIN) {
                    throw invalid("wildcards are not available on email.domain");
                }
                return prefix ? new UserQuery.Prefix(column, text)
                        : suffix ? new UserQuery.Suffix(column, text) : new UserQuery.Equals(column, text);
            }
            default -> {
                if (prefix || suffix) {
                    throw invalid("wildcards are only available on text fields, not " + field);
                }
                if (column.kind() == Column.Kind.TIME && value.length() == 10) {
                    // A day: every time within it.
                    long start = time(field, value, false);
                    return new UserQuery.Range(column, start, true, start + 86_400_000L, false);
                }
                return new UserQuery.Equals(column, typed(column, field, value, false));
            }
        }
    }

    private UserQuery range(String field, boolean fromInclusive) {
        at++;
        String from = bound();
        if (!keyword("TO")) {
            throw invalid("a range is [from TO to]");
        }
        String to = bound();
        skipSpaces();
        boolean toInclusive;
        if (symbol("]")) {
            toInclusive = true;
        } else if (symbol("}")) {
            toInclusive = false;
        } else {
            throw invalid("a range is not closed with ] or }");
        }
        if (from == null && to == null) {
            throw invalid("a range needs at least one bound");
        }
        UserQuery.Target target = target(requireField(field, "a range"));
        if (target instanceof UserQuery.Metadata metadata) {
            if (!metadata.app()) {
                throw invalid("ranges are not available on user_metadata fields");
            }
            return new UserQuery.Range(target, metadataBound(from), fromInclusive, metadataBound(to), toInclusive);
        }
        Column column = (Column) target;
        if (column.kind() == Column.Kind.BOOLEAN || column == Column.EMAIL_DOMAIN) {
            throw invalid("ranges are not available on " + field);
        }
        boolean lower = column.kind() == Column.Kind.LOWERCASE_TEXT;
        Object low = from == null ? null : lower ? from.toLowerCase(Locale.ROOT) : typed(column, field, from, false);
        Object high = to == null ? null : lower ? to.toLowerCase(Locale.ROOT) : typed(column, field, to, true);
        if (column.kind() == Column.Kind.TIME && to != null && to.length() == 10 && toInclusive) {
            high = (Long) high + 86_399_999L; // [.. TO 2020-01-31]: the whole last day
        }
        return new UserQuery.Range(column, low, fromInclusive, high, toInclusive);
    }

    /** A number when it reads as one (compared as a number), else text. */
    private static Object metadataBound(String bound) {
        if (bound == null) {
            return null;
        }
        try {
            return new java.math.BigDecimal(bound);
        } catch (NumberFormatException e) {
            return bound;
        }
    }

    /** A bound of a range: a word, a quoted phrase, or {@code *} (open, answered as null). */
    private String bound() {
        skipSpaces();
        if (at >= q.length()) {
            throw invalid("a range is not closed");
        }
        if (q.charAt(at) == '"') {
            return quoted();
        }
        StringBuilder word = new StringBuilder();
        while (at < q.length() && !Character.isWhitespace(q.charAt(at)) && "]}".indexOf(q.charAt(at)) < 0) {
            char c = q.charAt(at++);
            if (c == '\\' && at < q.length()) {
                word.append(q.charAt(at++));
            } else if ((SPECIAL.indexOf(c) >= 0 && c != ':') || (c == '*' && word.length() > 0)) {
                // A colon is plain inside a range: [2020-01-01T00:00:00Z TO *].
                throw invalid("unsupported character " + c + " in a range");
            } else {
                word.append(c);
            }
        }
        String value = word.toString();
        if (value.isEmpty()) {
            throw invalid("a range bound is missing");
        }
        return value.equals("*") ? null : value;
    }

    private String quoted() {
        at++;
        StringBuilder value = new StringBuilder();
        while (at < q.length()) {
            char c = q.charAt(at++);
            if (c == '\\' && at < q.length()) {
                value.append(q.charAt(at++));
            } else if (c == '"') {
                if (value.length() == 0) {
                    throw invalid("a quoted value is empty");
                }
                return value.toString();
            } else {
                value.append(c);
            }
        }
        throw invalid("unterminated quoted value");
    }

    private static Object typed(Column column, String field, String value, boolean upper) {
        return switch (column.kind()) {
            case BOOLEAN -> {
                if (!value.equals("true") && !value.equals("false")) {
                    throw invalid(field + " is true or false");
                }
                yield Boolean.parseBoolean(value);
            }
            case INTEGER -> {
                try {
                    yield Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw invalid(field + " is an integer");
                }
            }
            case TIME -> time(field, value, upper);
            default -> value;
        };
    }

    /** {@code 2020-01-31} (the start of that day, UTC) or an ISO 8601 instant, as epoch milliseconds. */
    private static long time(String field, String value, boolean upper) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalid(field + " is a date (2020-01-31) or a time (2020-01-31T12:00:00.000Z)");
        }
    }

    private static UserQuery.Target target(String field) {
        Column column = COLUMNS.get(field);
        if (column != null) {
            return column;
        }
        for (String root : List.of("app_metadata", "user_metadata")) {
            if (field.startsWith(root + ".")) {
                List<String> path = List.of(field.substring(root.length() + 1).split("\\.", -1));
                if (path.size() > MAX_METADATA_DEPTH || !path.stream().allMatch(k -> METADATA_KEY.matcher(k).matches())) {
                    throw invalid("invalid metadata field " + field);
                }
                return new UserQuery.Metadata(root.equals("app_metadata"), path);
            }
        }
        throw invalid("the field " + field + " cannot be searched");
    }

    private static String requireField(String field, String what) {
        if (field == null) {
            throw invalid(what + " needs a field");
        }
        return field;
    }

    /** A field name followed by a colon, consumed; null (nothing consumed) when there is none. */
    private String fieldName() {
        return fieldName(true);
    }

    private String fieldName(boolean colon) {
        int end = at;
        while (end < q.length() && (Character.isLetterOrDigit(q.charAt(end)) || q.charAt(end) == '_'
                || q.charAt(end) == '.' || q.charAt(end) == '-')) {
            end++;
        }
        if (colon && (end == at || end >= q.length() || q.charAt(end) != ':')) {
            return null;
        }
        String name = q.substring(at, end);
        if (!FIELD.matcher(name).matches() && !(name.contains("_metadata.") && name.length() > 0)) {
            throw invalid("invalid field name " + name);
        }
        at = colon ? end + 1 : end;
        return name;
    }

    private boolean keyword(String word) {
        skipSpaces();
        int end = at + word.length();
        if (q.startsWith(word, at) && (end == q.length() || Character.isWhitespace(q.charAt(end))
                || q.charAt(end) == '(')) {
            at = end;
            return true;
        }
        return false;
    }

    private boolean symbol(String symbol) {
        if (q.startsWith(symbol, at)) {
            at += symbol.length();
            return true;
        }
        return false;
    }

    private boolean startsNot() {
        int saved = at;
        boolean not = keyword("NOT") || symbol("!") || symbol("-");
        at = saved;
        return not;
    }

    private boolean startsWithOperator() {
        int saved = at;
        boolean operator = keyword("AND") || keyword("OR") || symbol("&&") || symbol("||");
        at = saved;
        return operator;
    }

    private void skipSpaces() {
        while (at < q.length() && Character.isWhitespace(q.charAt(at))) {
            at++;
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw invalid("the query nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void count() {
        if (++terms > MAX_TERMS) {
            throw invalid("the query has more than " + MAX_TERMS + " terms");
        }
    }

    private String rest() {
        return q.substring(at, Math.min(q.length(), at + 20));
    }

    static ManagementException invalid(String problem) {
        return ManagementException.invalidQuery("Query validation error: 'Invalid query: " + problem
                + "' on property q.");
    }
}
