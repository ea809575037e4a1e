package dev.latchkey.server.ui;

import dev.latchkey.server.interaction.LoginTransaction;
import dev.latchkey.server.interaction.LoginTransactions;
import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.PendingLogin;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SealedJson;
import dev.latchkey.server.oauth.authorize.CheckedAuthorization;
import dev.latchkey.server.upstream.UpstreamLogin;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sealed {@code state} of upstream logins: what it carries, and what opens to nothing. */
class UpstreamStatesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final MasterKey KEY = new MasterKey(RandomStrings.bytes(32));
    private final UpstreamStates states = new UpstreamStates(KEY);
    private final LoginTransactions transactions = new LoginTransactions(null, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anUnstoredTransactionTravelsWholeAndComesBackUnstored() {
        PendingLogin draft = transactions.draft(outcome("app-state"), "203.0.113.0/24", binding());
        UpstreamLogin login = login(draft.id());

        String state = states.sealCarrying(login, draft).orElseThrow();

        assertThat(state).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(UpstreamStates.MAX_LENGTH);
        assertThat(SealedJson.storedForm(state)).isFalse();
        UpstreamStates.Opened opened = states.open(state, NOW.plusSeconds(60)).orElseThrow();
        assertThat(opened.login().connection()).isEqualTo("corp");
        assertThat(opened.login().nonce()).isEqualTo(login.nonce());
        assertThat(opened.login().codeVerifier()).isEqualTo(login.codeVerifier());
        PendingLogin carried = opened.carried().orElseThrow();
        assertThat(carried.stored()).isFalse();
        assertThat(carried.id()).isEqualTo(draft.id());
        LoginTransaction tx = carried.transaction();
        assertThat(tx).isEqualTo(draft.transaction());
    }

    @Test
    void aStoredTransactionIsNamedNotCarried() {
        UpstreamLogin login = login("stored-transaction-id");
        UpstreamStates.Opened opened = states.open(states.seal(login), NOW).orElseThrow();
        assertThat(opened.carried()).isEmpty();
        assertThat(opened.login().transactionId()).isEqualTo("stored-transaction-id");
    }

    @Test
    void aRequestTooLongToCarryIsStoredInstead() {
        // StateCheck takes a client state of up to 2,048 characters: such a request is not sent along.
        PendingLogin draft = transactions.draft(outcome("s".repeat(2048)), "203.0.113.0/24", binding());
        assertThat(states.sealCarrying(login(draft.id()), draft)).isEmpty();
    }

    @Test
    void aChangedTruncatedExpiredOrForeignStateOpensToNothing() {
        PendingLogin draft = transactions.draft(outcome("app-state"), "203.0.113.0/24", binding());
        String state = states.sealCarrying(login(draft.id()), draft).orElseThrow();

        byte[] raw = Base64.getUrlDecoder().decode(state);
        raw[raw.length / 2] ^= 1;
        assertThat(states.open(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), NOW)).isEmpty();
        assertThat(states.open(state.substring(0, state.length() - 4), NOW)).isEmpty();
        assertThat(states.open(state + "AAAA", NOW)).isEmpty();
        assertThat(states.open("not base64url!", NOW)).isEmpty();
        assertThat(states.open("", NOW)).isEmpty();
        // Past the login's lifetime at the provider.
        assertThat(states.open(state, NOW.plus(UpstreamLoginPages.LIFETIME))).isEmpty();
        // Sealed under another key, or by this key for another purpose.
        assertThat(new UpstreamStates(new MasterKey(RandomStrings.bytes(32))).open(state, NOW)).isEmpty();
        Map<String, Object> complete = Map.of("c", "corp", "n", "n", "v", "v", "e", 9_999_999_999L, "t", "x");
        assertThat(states.open(sealed("something else", complete), NOW)).isEmpty();
        // A complete state sealed under the master key itself, not the key derived for states, opens to nothing.
        assertThat(states.open(KEY.sealForTransit(
                "{\"c\":\"corp\",\"n\":\"n\",\"v\":\"v\",\"e\":9999999999,\"t\":\"x\"}".getBytes(),
                UpstreamStates.PURPOSE), NOW)).isEmpty();
        assertThat(states.open(sealed(UpstreamStates.PURPOSE, complete), NOW)).isPresent();
        // Sealed for this purpose but not a state: another shape, or missing what the callback needs.
        assertThat(states.open(sealed(UpstreamStates.PURPOSE, List.of(1, 2)), NOW)).isEmpty();
        assertThat(states.open(sealed(UpstreamStates.PURPOSE, Map.of("c", "corp", "e", 9_999_999_999L, "t", "x")),
                NOW)).isEmpty();
    }

    @Test
    void theEarlierStoredFormIsToldApartByItsLength() {
        assertThat(SealedJson.storedForm(RandomStrings.base64url(32))).isTrue();
        // The shortest sealed state, naming a stored transaction, is well over the stored form's length.
        assertThat(SealedJson.storedForm(states.seal(new UpstreamLogin(null, "c", "t", "v", "n", NOW))))
                .isFalse();
    }

    /** {@code value} as a sealed JSON value of {@code purpose}, under the key the states use. */
    private static String sealed(String purpose, Object value) {
        return new SealedJson<>(KEY, purpose, Object.class, 4096).seal(value).orElseThrow();
    }

    private static UpstreamLogin login(String transactionId) {
        return new UpstreamLogin(null, "corp", transactionId, RandomStrings.base64url(32), RandomStrings.base64url(32),
                NOW.plus(UpstreamLoginPages.LIFETIME));
    }

    private static String binding() {
        return LoginTransactions.bindingToKeep(List.of());
    }

    private static Outcome outcome(String clientState) {
        return new Outcome.AuthorizationResponse(new CheckedAuthorization("client1", "https://app.example/cb",
                List.of("code"), "query", clientState, "n-0S6_WzA2Mj", List.of("openid", "profile", "email"), null,
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", List.of(), null, null, List.of(), false));
    }
}
