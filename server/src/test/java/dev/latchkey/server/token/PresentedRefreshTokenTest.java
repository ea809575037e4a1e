package dev.latchkey.server.token;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PresentedRefreshTokenTest {

    private static final FamilySecrets SECRETS = new FamilySecrets(new byte[32]);

    /** The row as stored after {@code live} was given out, {@code previous} before it. */
    private static RefreshToken stored(NewRefreshToken live, NewRefreshToken previous) {
        return new RefreshToken("rt_1", live.tokenHash(), "rt_1", "az_1", "c", "u", null, List.of(), null, true,
                Instant.EPOCH, null, null, null, null, RefreshToken.NEVER, live.currentHash(),
                previous == null ? null : previous.currentHash(), live.generation());
    }

    private static String lookupOf(NewRefreshToken token) {
        return token.value().substring(0, token.value().indexOf('.'));
    }

    @Test
    void aFamilysDigestIsOfAnotherShapeThanAnyRowFormDigestSoItsLookupAloneIsNoToken() {
        NewRefreshToken family = NewRefreshToken.startFamily(SECRETS, true, null);
        // A row-form digest is 64 hex digits; a family's is "f." and base64url: no presented value, to this release
        // or an earlier one, finds a family row by the row form's look-up.
        assertThat(family.tokenHash()).startsWith("f.").hasSize(45);
        PresentedRefreshToken lookupAlone = SECRETS.present(lookupOf(family));
        assertThat(lookupAlone.familyForm()).isFalse();
        assertThat(lookupAlone.lookupHash()).matches("[0-9a-f]{64}").isNotEqualTo(family.tokenHash());
        assertThat(lookupAlone.against(stored(family, null))).isEqualTo(PresentedRefreshToken.Match.UNRELATED);
    }

    @Test
    void eachGenerationIsToldApartAndOnlySecretsLatchkeyMadeCountAsReuse() {
        NewRefreshToken first = NewRefreshToken.startFamily(SECRETS, true, null);
        assertThat(first.value()).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}");
        PresentedRefreshToken presentedFirst = SECRETS.present(first.value());
        assertThat(presentedFirst.against(stored(first, null))).isEqualTo(PresentedRefreshToken.Match.CURRENT);

        NewRefreshToken second = NewRefreshToken.nextInFamily(SECRETS, presentedFirst, true, null);
        NewRefreshToken third = NewRefreshToken.nextInFamily(SECRETS, SECRETS.present(second.value()), true, null);
        assertThat(third.value()).startsWith(lookupOf(first) + ".");
        assertThat(third.generation()).isEqualTo(2);
        RefreshToken row = stored(third, second);
        assertThat(SECRETS.present(third.value()).against(row)).isEqualTo(PresentedRefreshToken.Match.CURRENT);
        assertThat(SECRETS.present(second.value()).against(row)).isEqualTo(PresentedRefreshToken.Match.PREVIOUS);
        // RFC 9700 §4.14.2: a token Latchkey gave out before the previous one is a reuse, with no digest kept.
        assertThat(presentedFirst.against(row)).isEqualTo(PresentedRefreshToken.Match.OLDER);

        // Someone who knows only the lookup makes up nothing that counts: no reuse, no revocation.
        String lookup = lookupOf(first);
        for (String forged : List.of(lookup + "." + "A".repeat(43), lookup + ".", lookup + "." + "x",
                lookup + "." + third.value().substring(lookup.length() + 1, third.value().length() - 1) + "A")) {
            assertThat(SECRETS.present(forged).against(row)).as(forged).isEqualTo(PresentedRefreshToken.Match.UNRELATED);
        }
        // Another key's secrets (another deployment, a forged MAC) are nothing either.
        FamilySecrets other = new FamilySecrets(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        assertThat(other.present(first.value()).against(row)).isEqualTo(PresentedRefreshToken.Match.UNRELATED);

        // A token of a generation the row has not reached (an exchange the database lost in a crash) is nothing,
        // not a reuse: its user logs in again, no alarm.
        RefreshToken lost = stored(second, first);
        assertThat(SECRETS.present(third.value()).against(lost)).isEqualTo(PresentedRefreshToken.Match.UNRELATED);

        // A row-form value never matches a family row, nor a family-form value a row.
        NewRefreshToken rowForm = NewRefreshToken.generate(true, null);
        RefreshToken rowStored = new RefreshToken("rt_2", rowForm.tokenHash(), "rt_2", "az_2", "c", "u", null,
                List.of(), null, true, Instant.EPOCH, null, null, null, null, RefreshToken.NEVER);
        assertThat(SECRETS.present(rowForm.value()).against(rowStored)).isEqualTo(PresentedRefreshToken.Match.CURRENT);
        assertThat(presentedFirst.against(rowStored)).isEqualTo(PresentedRefreshToken.Match.UNRELATED);
        assertThat(presentedFirst.toString()).doesNotContain(lookup);
    }
}
