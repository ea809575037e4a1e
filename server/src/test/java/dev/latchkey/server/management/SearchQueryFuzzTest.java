package dev.latchkey.server.management;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.latchkey.server.identity.UserQuery;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the {@code q} parameter of the users and logs searches ({@link UserSearchQuery},
 * {@link SearchQuery} and the filters built from them): any text yields a query tree whose terms have
 * non-empty values, or a 400 {@code invalid_query_string}; anything else would be a 500.
 */
class SearchQueryFuzzTest {

    @FuzzTest
    void queriesParseToTermsOrAQueryError(FuzzedDataProvider data) {
        boolean logs = data.consumeBoolean();
        String q = data.consumeRemainingAsString();
        try {
            if (logs) {
                for (SearchQuery.Term term : SearchQuery.parse(q).terms()) {
                    assertThat(term.field()).matches("[A-Za-z_][A-Za-z0-9_.]*");
                    assertThat(term.value()).isNotEmpty();
                }
                LogsResource.filter(q, null);
            } else {
                checkTree(UserSearchQuery.parse(q));
            }
        } catch (ManagementException refused) {
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("invalid_query_string");
        }
    }

    private static void checkTree(UserQuery query) {
        if (query instanceof UserQuery.And and) {
            assertThat(and.parts()).isNotEmpty();
            and.parts().forEach(SearchQueryFuzzTest::checkTree);
        } else if (query instanceof UserQuery.Or or) {
            assertThat(or.parts()).isNotEmpty();
            or.parts().forEach(SearchQueryFuzzTest::checkTree);
        } else if (query instanceof UserQuery.Not not) {
            checkTree(not.query());
        } else if (query instanceof UserQuery.Equals equals) {
            assertThat(equals.value()).isNotNull();
            assertThat(equals.value().toString()).isNotEmpty().doesNotContain("\0");
        } else if (query instanceof UserQuery.Prefix prefix) {
            assertThat(prefix.prefix()).isNotEmpty();
        } else if (query instanceof UserQuery.Suffix suffix) {
            assertThat(suffix.suffix()).hasSizeGreaterThanOrEqualTo(3);
        } else if (query instanceof UserQuery.Range range) {
            assertThat(range.from() != null || range.to() != null).isTrue();
        }
    }
}
