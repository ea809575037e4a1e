package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users search v3 ({@code GET /api/v2/users?q=...&search_engine=v3}) against a real server, each syntax
 * element checked as Auth0's "User Search Query Syntax" page describes it. Run on H2 and PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UsersSearchContract {

    private static final String PASSWORD = "Str0ng-Passw0rd";
    /** Every user of this class is named "{tag} ...", so queries AND-ed with it see only these. */
    protected final String tag = "s" + UUID.randomUUID().toString().substring(0, 6);
    protected String jane;
    protected String john;
    protected String usa;

    protected abstract TestServer server();

    @BeforeAll
    void createUsers() {
        jane = create("jane." + tag + "@example.com", tag + " Jane Smith", "Jane", "{\"plan\":\"gold\",\"seats\":5}",
                "{\"city\":\"Paris\",\"langs\":[\"fr\",\"en\"],\"prefs\":{\"size\":13}}");
        john = create("john." + tag + "@example.org", tag + " John Doe", null, "{\"plan\":\"silver\",\"seats\":50}",
                "{\"city\":\"Seattle\"}");
        usa = create("sam." + tag + "@example.com", tag + " Uncle Sam of usa", "Sam", "{}", "{}");
    }

    private String create(String email, String name, String givenName, String appMetadata, String userMetadata) {
        HttpResponse<String> response = server().management("POST", "api/v2/users", """
                {"connection":"Username-Password-Authentication","email":"%s","password":"%s","name":"%s",%s
                 "app_metadata":%s,"user_metadata":%s}""".formatted(email, PASSWORD, name,
                givenName == null ? "" : "\"given_name\":\"" + givenName + "\",", appMetadata, userMetadata));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).path("user_id").asText();
    }

    /** The ids of this class's users matching {@code q}, in creation order. */
    protected List<String> search(String q) {
        HttpResponse<String> response = get("(" + q + ") AND name:" + tag + "*", "");
        assertThat(response.statusCode()).as(q + " " + response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(response).forEach(user -> ids.add(user.path("user_id").asText()));
        return ids;
    }

    protected HttpResponse<String> get(String q, String more) {
        return server().management("GET", "api/v2/users?search_engine=v3&q=" + encode(q) + more, null);
    }

    protected void refused(String q) {
        HttpResponse<String> response = get(q, "");
        assertThat(response.statusCode()).as(q + " " + response.body()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.path("errorCode").asText()).as(q).isEqualTo("invalid_query_string");
        assertThat(error.path("error").asText()).isEqualTo("Bad Request");
        assertThat(error.path("message").asText()).startsWith("Query validation error: 'Invalid query: ");
    }

    @Test
    void phrasesMatchExactlyAndNormalizedFieldsIgnoreCase() {
        // Auth0: name:"jane smith" finds exact matches; email, name, given_name, family_name and
        // nickname are case insensitive.
        assertThat(search("name:\"" + tag.toUpperCase() + " JANE SMITH\"")).containsExactly(jane);
        assertThat(search("email:\"JANE." + tag + "@EXAMPLE.COM\"")).containsExactly(jane);
        assertThat(search("given_name:jane")).containsExactly(jane);
        assertThat(search("name:\"" + tag + " jane\"")).isEmpty();
    }

    @Test
    void wildcardsMatchPrefixesAndSuffixesOfThreeCharactersOrMore() {
        // Auth0: name:john* finds names starting with john; a suffix match needs three characters or
        // more (name:*usa works, name:*sa does not).
        assertThat(search("email:jane." + tag + "*")).containsExactly(jane);
        assertThat(search("name:*usa")).containsExactly(usa);
        refused("name:*sa");
        assertThat(search("given_name:*")).containsExactly(jane, usa);
    }

    @Test
    void rangesIncludeSquareBoundsExcludeCurlyOnesAndStarIsOpen() {
        // Auth0: logins_count:[100 TO 200] inclusive, {} exclusive, * unbounded; dates on created_at.
        assertThat(search("logins_count:[0 TO 0]")).containsExactly(jane, john, usa);
        assertThat(search("logins_count:{0 TO *]")).isEmpty();
        assertThat(search("logins_count:[* TO 1}")).containsExactly(jane, john, usa);
        assertThat(search("created_at:[2020-01-01 TO *]")).containsExactly(jane, john, usa);
        assertThat(search("created_at:{* TO 2020-01-01T00:00:00Z}")).isEmpty();
        assertThat(search("email:[jane." + tag + " TO john." + tag + "\\@example.org]")).containsExactly(jane, john);
    }

    @Test
    void booleanOperatorsAndParenthesesCombineTerms() {
        // Auth0: AND, OR and NOT (capitalized) work on the normalized fields; parentheses group sub-queries.
        String janeEmail = "email:\"jane." + tag + "@example.com\"";
        String johnEmail = "email:\"john." + tag + "@example.org\"";
        assertThat(search(janeEmail + " OR " + johnEmail)).containsExactly(jane, john);
        assertThat(search(janeEmail + " || " + johnEmail)).containsExactly(jane, john);
        assertThat(search("(" + janeEmail + " OR " + johnEmail + ") AND NOT given_name:jane")).containsExactly(john);
        assertThat(search("NOT email.domain:example.com")).containsExactly(john);
        assertThat(search("-email.domain:example.com")).containsExactly(john);
        assertThat(search("email.domain:example.com && !given_name:sam")).containsExactly(jane);
        // Lucene: clauses without an operator are optional, i.e. OR; "a NOT b" keeps a and drops b.
        assertThat(search(janeEmail + " " + johnEmail)).containsExactly(jane, john);
        assertThat(search("email.domain:example.com NOT given_name:sam")).containsExactly(jane);
        assertThat(search("given_name:(jane OR sam)")).containsExactly(jane, usa);
    }

    @Test
    void existsAndTermsWithoutAFieldSearchTheNormalizedFields() {
        // Auth0: _exists_:field; a term without a field name does not match metadata.
        assertThat(search("_exists_:given_name")).containsExactly(jane, usa);
        assertThat(search("NOT _exists_:given_name")).containsExactly(john);
        assertThat(search("sam")).containsExactly(usa);
        assertThat(search("gold")).isEmpty();
    }

    @Test
    void sortsAndSelectsFields() {
        HttpResponse<String> response = get("name:" + tag + "*", "&sort=" + encode("email:-1")
                + "&fields=user_id,email&include_fields=true");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode users = json(response);
        assertThat(users.get(0).path("user_id").asText()).isEqualTo(usa);
        assertThat(users.get(0).size()).isEqualTo(2);
        JsonNode without = json(get("name:" + tag + "*", "&fields=identities&include_fields=false"));
        assertThat(without.get(0).has("identities")).isFalse();
        assertThat(without.get(0).has("email")).isTrue();
    }

    @Test
    void refusesQueriesItCannotRunWithA400() {
        for (String q : List.of(
                "(email:a", "email:a)", "email:a AND", "AND email:a", "OR", "email:\"open", "[a TO b]",
                "email:[a TO", "email:[a b]", "email:{a TO b", "logins_count:many", "blocked:maybe",
                "created_at:yesterday", "created_at:[2020-13-01 TO *]", "email:a*b", "email:*a*",
                "user_metadata.city:Par*", "user_metadata.seats:[1 TO 2]", "favourite:blue", "_exists_:",
                "_exists_:password_hash", "password_hash:x", "name:jo~", "name:jo?n", "name:/re/", "email:a^2",
                "blocked:[true TO false]", "email.domain:exa*", "app_metadata.:x", "app_metadata.a..b:x")) {
            refused(q);
        }
        for (String q : List.of("\u0000", "email:\"a\u0001\"", "name:a\u007f")) {
            HttpResponse<String> response = get(q, "");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(json(response).path("errorCode").asText()).isEqualTo("invalid_query_string");
        }
    }

    @Test
    void refusesHugeDeepAndInjectionShapedQueriesWithA400() {
        refused("email:" + "a".repeat(UserSearchQuery.MAX_LENGTH));
        refused("(".repeat(UserSearchQuery.MAX_DEPTH + 1) + "email:a" + ")".repeat(UserSearchQuery.MAX_DEPTH + 1));
        refused("NOT ".repeat(UserSearchQuery.MAX_DEPTH + 1) + "email:a");
        refused(String.join(" OR ", java.util.Collections.nCopies(UserSearchQuery.MAX_TERMS + 1, "email:a")));
        refused("name:x); DROP TABLE users; --");
        // Quoted, the same text is only a value: bound as a parameter, it finds nobody and breaks nothing.
        assertThat(search("email:\"x' OR 1=1 --\"")).isEmpty();
        assertThat(search("email:a' OR '1'='1")).isEmpty();
        assertThat(search("name:\"'; DROP TABLE users; --\"")).isEmpty();
        assertThat(search("name:\"%\" OR name:\"_\" OR email:\\%*")).isEmpty();
        assertThat(search("name:" + tag + "*")).hasSize(3);
    }
}
