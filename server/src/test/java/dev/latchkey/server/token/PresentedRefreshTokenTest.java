package dev.latchkey.server.token;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PresentedRefreshTokenTest {

    private static RefreshToken stored(NewRefreshToken token) {
        return new RefreshToken("rt_1", token.tokenHash(), "rt_1", "az_1", "c", "u", null, List.of(), null, true,
                Instant.EPOCH, null, null, null, null, RefreshToken.NEVER, token.currentHash(), null);
    }

    @Test
    void aFamilysDigestIsOfAnotherShapeThanAnyRowFormDigestSoItsLookupAloneIsNoToken() {
        NewRefreshToken family = NewRefreshToken.startFamily(true, null);
        String lookup = family.value().substring(0, family.value().indexOf('.'));
        // A row-form digest is 64 hex digits; a family's is "f." and base64url: no presented value, to this release
        // or an earlier one, finds a family row by the row form's look-up.
        assertThat(family.tokenHash()).startsWith("f.").hasSize(45);
        PresentedRefreshToken lookupAlone = PresentedRefreshToken.of(lookup);
        assertThat(lookupAlone.familyForm()).isFalse();
        assertThat(lookupAlone.lookupHash()).matches("[0-9a-f]{64}").isNotEqualTo(family.tokenHash());
        assertThat(lookupAlone.against(stored(family))).isEqualTo(PresentedRefreshToken.Match.UNRELATED);
    }

    @Test
    void theLiveSecretIsCurrentThePreviousOneIsPreviousAnyOtherIsOlder() {
        NewRefreshToken first = NewRefreshToken.startFamily(true, null);
        PresentedRefreshToken presented = PresentedRefreshToken.of(first.value());
        assertThat(presented.lookupHash()).isEqualTo(first.tokenHash());
        assertThat(presented.against(stored(first))).isEqualTo(PresentedRefreshToken.Match.CURRENT);

        NewRefreshToken next = NewRefreshToken.nextInFamily(presented, true, null);
        assertThat(next.value()).startsWith(first.value().substring(0, first.value().indexOf('.') + 1));
        RefreshToken rotated = new RefreshToken("rt_1", first.tokenHash(), "rt_1", "az_1", "c", "u", null, List.of(),
                null, true, Instant.EPOCH, null, null, null, null, RefreshToken.NEVER, next.currentHash(),
                first.currentHash());
        assertThat(PresentedRefreshToken.of(next.value()).against(rotated)).isEqualTo(PresentedRefreshToken.Match.CURRENT);
        assertThat(presented.against(rotated)).isEqualTo(PresentedRefreshToken.Match.PREVIOUS);
        String forged = first.value().substring(0, first.value().indexOf('.') + 1) + "x".repeat(43);
        assertThat(PresentedRefreshToken.of(forged).against(rotated)).isEqualTo(PresentedRefreshToken.Match.OLDER);
        // A row-form value never matches a family row, nor a family-form value a row.
        NewRefreshToken row = NewRefreshToken.generate(true, null);
        assertThat(PresentedRefreshToken.of(row.value()).against(stored(row))).isEqualTo(PresentedRefreshToken.Match.CURRENT);
        assertThat(presented.against(stored(row))).isEqualTo(PresentedRefreshToken.Match.UNRELATED);
        assertThat(presented.toString()).doesNotContain(first.value().substring(0, 10));
    }
}
