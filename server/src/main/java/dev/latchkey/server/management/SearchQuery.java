package dev.latchkey.server.management;

import java.util.ArrayList;
import java.util.List;

/**
 * The subset of Auth0's Lucene query syntax ({@code q}, search engine v3) that Latchkey answers:
 * terms {@code field:value} or {@code field:"quoted value"} joined by {@code AND}; a bare value
 * ending in {@code *} matches by prefix. Anything else (OR, NOT, ranges, groups) is refused with a
 * 400 rather than answered wrongly.
 */
record SearchQuery(List<Term> terms) {

    /** One condition; {@code prefix} when a bare value ended in {@code *} (the star removed). */
    record Term(String field, String value, boolean prefix) {
    }

    static SearchQuery parse(String q) {
        List<Term> terms = new ArrayList<>();
        if (q == null || q.isBlank()) {
            return new SearchQuery(terms);
        }
        int i = skipSpaces(q, 0);
        while (i < q.length()) {
            if (!terms.isEmpty()) {
                if (q.startsWith("AND", i) && (i + 3 == q.length() || Character.isWhitespace(q.charAt(i + 3)))) {
                    i = skipSpaces(q, i + 3);
                } else if (q.startsWith("&&", i)) {
                    i = skipSpaces(q, i + 2);
                } else {
                    throw invalid("only terms joined by AND are supported");
                }
            }
            int colon = q.indexOf(':', i);
            if (colon <= i) {
                throw invalid("expected field:value");
            }
            String field = q.substring(i, colon);
            if (!field.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw invalid("invalid field name " + field);
            }
            i = colon + 1;
            if (i < q.length() && q.charAt(i) == '"') {
                StringBuilder value = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < q.length()) {
                    char c = q.charAt(i++);
                    if (c == '\\' && i < q.length()) {
                        value.append(q.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw invalid("unterminated quoted value");
                }
                if (value.length() == 0) {
                    throw invalid("a quoted value is empty");
                }
                terms.add(new Term(field, value.toString(), false));
            } else {
                // A bare value: up to unescaped whitespace; a backslash escapes the next character.
                StringBuilder value = new StringBuilder();
                boolean prefix = false;
                while (i < q.length() && !Character.isWhitespace(q.charAt(i))) {
                    char c = q.charAt(i++);
                    if (prefix) {
                        throw invalid("only a trailing * wildcard is supported");
                    }
                    if (c == '\\' && i < q.length()) {
                        value.append(q.charAt(i++));
                    } else if (c == '*') {
                        prefix = true;
                    } else if ("()[]{}\"^~?:\\".indexOf(c) >= 0) {
                        throw invalid("unsupported character " + c + " in a value; quote or escape it");
                    } else {
                        value.append(c);
                    }
                }
                if (value.length() == 0) {
                    throw invalid("a value is missing or is only a wildcard");
                }
                terms.add(new Term(field, value.toString(), prefix));
            }
            i = skipSpaces(q, i);
        }
        return new SearchQuery(terms);
    }

    private static int skipSpaces(String q, int i) {
        while (i < q.length() && Character.isWhitespace(q.charAt(i))) {
            i++;
        }
        return i;
    }

    static ManagementException invalid(String problem) {
        return ManagementException.invalidQuery("Query validation error: 'Invalid query: " + problem
                + "' on property q.");
    }
}
