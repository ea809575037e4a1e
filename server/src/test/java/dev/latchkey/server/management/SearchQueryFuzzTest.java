package dev.latchkey.server.management;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.latchkey.server.identity.UserFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the {@code q} parameter of the users and logs searches ({@link SearchQuery} and the
 * filters built from it): any text yields terms with a field name and a non-empty value, or a 400
 * {@code invalid_query_string}; anything else would be a 500.
 */
class SearchQueryFuzzTest {

    @FuzzTest
    void queriesParseToTermsOrAQueryError(FuzzedDataProvider data) {
        boolean logs = data.consumeBoolean();
        String q = data.consumeRemainingAsString();
        try {
            for (SearchQuery.Term term : SearchQuery.parse(q).terms()) {
                assertThat(term.field()).matches("[A-Za-z_][A-Za-z0-9_.]*");
                assertThat(term.value()).isNotEmpty();
            }
            if (logs) {
                LogsResource.filter(q, null);
            } else {
                for (UserFilter.Condition condition : UsersResource.filter(q).conditions()) {
                    assertThat(condition.value()).isNotEmpty();
                }
            }
        } catch (ManagementException refused) {
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("invalid_query_string");
        }
    }
}
