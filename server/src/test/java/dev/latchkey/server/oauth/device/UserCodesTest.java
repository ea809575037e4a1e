package dev.latchkey.server.oauth.device;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** User codes: Auth0's XXXX-XXXX from RFC 8628 §6.1's alphabet, typed in any case, with or without the dash. */
class UserCodesTest {

    @RepeatedTest(20)
    void generatedCodesHaveTheShapeAndAlphabet() {
        String code = UserCodes.generate();
        assertThat(code).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(UserCodes.canonical(code)).contains(code);
    }

    @Test
    void entryIsCaseInsensitiveWithOrWithoutTheDashOrSpaces() {
        assertThat(UserCodes.canonical("qtzl-mcbw")).contains("QTZL-MCBW");
        assertThat(UserCodes.canonical("QTZLMCBW")).contains("QTZL-MCBW");
        assertThat(UserCodes.canonical(" qtzl mcbw ")).contains("QTZL-MCBW");
    }

    @Test
    void anythingElseIsNoCode() {
        assertThat(UserCodes.canonical(null)).isEmpty();
        assertThat(UserCodes.canonical("")).isEmpty();
        assertThat(UserCodes.canonical("QTZL-MCB")).isEmpty();
        assertThat(UserCodes.canonical("QTZL-MCBWX")).isEmpty();
        // Vowels, Y and digits are not in the alphabet (RFC 8628 §6.1).
        assertThat(UserCodes.canonical("QTZL-MCBA")).isEmpty();
        assertThat(UserCodes.canonical("QTZL-MCB1")).isEmpty();
        assertThat(UserCodes.canonical("Q".repeat(21))).isEmpty();
    }

    @Test
    void theCodeSpaceIsTwentyToTheEighth() {
        assertThat(UserCodes.SPACE).isEqualTo(25_600_000_000d);
    }
}
