package dev.latchkey.server.interaction;

import dev.latchkey.server.identity.LoginAttempt;
import dev.latchkey.server.identity.LoginResult;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.oauth.authorize.CheckedAuthorization;
import dev.latchkey.server.oauth.authorize.ConsentPolicy;
import dev.latchkey.server.rbac.RbacPolicy;
import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.AppType;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.JwtConfiguration;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import dev.latchkey.server.registry.TokenEndpointAuthMethod;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.JdbcClientGrantStore;
import dev.latchkey.server.store.JdbcClientStore;
import dev.latchkey.server.store.JdbcResourceServerStore;
import dev.latchkey.server.store.JdbcTenantSettingsStore;
import dev.latchkey.server.store.JdbcUserGrantStore;
import dev.latchkey.server.store.JdbcUserPermissionStore;
import dev.latchkey.server.testing.MovableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interaction engine without HTTP, on an in-memory H2: given what a transaction ends in and what the
 * browser brings, which step comes next (OIDC Core §3.1.2.1, §3.1.2.6; Auth0 consent and RBAC).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteractionEngineTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    private static final String API = "https://notes.example/api";
    private static final String RBAC_API = "https://rbac.example/api";

    private final MovableClock clock = new MovableClock(NOW);
    private final Map<String, User> users = new HashMap<>();
    private Database database;
    private ConsentPolicy consent;
    private InteractionEngine engine;

    @BeforeAll
    void open() {
        database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
        var jdbi = database.jdbi();
        var apis = new JdbcResourceServerStore(jdbi, new MasterKey(new byte[32]));
        apis.create(api("rs1", API, false));
        apis.create(api("rs2", RBAC_API, true));
        var lookups = new RegistryLookups(new JdbcClientStore(jdbi), apis, new JdbcClientGrantStore(jdbi),
                new JdbcTenantSettingsStore(jdbi));
        consent = new ConsentPolicy(new JdbcUserGrantStore(jdbi), "https://issuer.example/userinfo", clock);
        engine = new InteractionEngine(lookups, new Users(), consent, new RbacPolicy(new JdbcUserPermissionStore(jdbi)),
                clock);
    }

    @AfterAll
    void close() {
        database.close();
    }

    @Test
    void withNobodyLoggedInTheLoginPageComesFirst() {
        Step step = engine.resume(outcome(List.of(), null, null), firstParty(), SessionState.of(Optional.empty()));

        assertThat(step).isInstanceOf(Step.ShowLogin.class);
    }

    @Test
    void promptNoneNeedingALoginFailsWithLoginRequired() {
        // OIDC Core §3.1.2.6: login_required when prompt=none and the user is not logged in.
        Step step = engine.resume(outcome(List.of("none"), null, null), firstParty(), SessionState.of(Optional.empty()));

        assertThat(step).isEqualTo(new Step.Fail("login_required", "Login required"));
    }

    @Test
    void anSsoSessionCompletesAFirstPartyRequestWithoutAnyPage() {
        User user = user(false);
        Authentication sso = sso(user, NOW);

        Step step = engine.resume(outcome(List.of(), null, null), firstParty(), SessionState.of(Optional.of(sso)));

        assertThat(step).isInstanceOf(Step.Complete.class);
        Step.Complete complete = (Step.Complete) step;
        assertThat(complete.user().userId()).isEqualTo(user.userId());
        assertThat(complete.authentication()).isEqualTo(sso);
        assertThat(complete.api()).isNull();
        assertThat(complete.outcome()).isEqualTo(outcome(List.of(), null, null));
    }

    @Test
    void promptLoginAsksAgainUnlessTheUserHasJustLoggedIn() {
        // OIDC Core §3.1.2.1: prompt=login asks for the credentials again.
        User user = user(false);
        Outcome outcome = outcome(List.of("login"), null, null);

        assertThat(engine.resume(outcome, firstParty(), SessionState.of(Optional.of(sso(user, NOW)))))
                .isInstanceOf(Step.ShowLogin.class);
        Authentication fresh = new Authentication(user.userId(), NOW, "sid-fresh", true);
        assertThat(engine.resume(outcome, firstParty(), SessionState.loggedIn(fresh, user)))
                .isInstanceOf(Step.Complete.class);
    }

    @Test
    void maxAgeAsksAgainOnceTheLastLoginIsOlder() {
        // OIDC Core §3.1.2.1: max_age is the allowable time since the user last actively authenticated.
        User user = user(false);
        Outcome outcome = outcome(List.of(), 60L, null);
        Authentication sso = sso(user, clock.instant());

        assertThat(engine.resume(outcome, firstParty(), SessionState.of(Optional.of(sso))))
                .isInstanceOf(Step.Complete.class);
        clock.advance(Duration.ofSeconds(61));
        assertThat(engine.resume(outcome, firstParty(), SessionState.of(Optional.of(sso))))
                .isInstanceOf(Step.ShowLogin.class);
    }

    @Test
    void aBlockedUsersSessionCountsAsNoLogin() {
        User blocked = user(true);

        assertThat(engine.resume(outcome(List.of(), null, null), firstParty(),
                SessionState.of(Optional.of(sso(blocked, NOW))))).isInstanceOf(Step.ShowLogin.class);
    }

    @Test
    void aThirdPartyClientAsksConsentThenCompletesOnceAccepted() {
        User user = user(false);
        Authentication sso = sso(user, NOW);
        Outcome outcome = outcome(List.of(), null, API);

        Step asked = engine.resume(outcome, thirdParty(), SessionState.of(Optional.of(sso)));
        Step accepted = engine.resume(outcome, thirdParty(),
                SessionState.loggedIn(sso, user).answering(SessionState.ConsentAnswer.ACCEPTED));

        assertThat(asked).isEqualTo(new Step.ShowConsent(user, sso));
        assertThat(accepted).isInstanceOf(Step.Complete.class);
        assertThat(((Step.Complete) accepted).api().identifier()).isEqualTo(API);
    }

    @Test
    void rememberedConsentIsNotAskedAgain() {
        User user = user(false);
        Outcome outcome = outcome(List.of(), null, API);
        consent.remember(outcome.request(), user.userId());

        assertThat(engine.resume(outcome, thirdParty(), SessionState.of(Optional.of(sso(user, NOW)))))
                .isInstanceOf(Step.Complete.class);
    }

    @Test
    void promptNoneNeedingConsentFailsWithConsentRequired() {
        // OIDC Core §3.1.2.6: consent_required when prompt=none and consent is missing.
        User user = user(false);

        assertThat(engine.resume(outcome(List.of("none"), null, API), thirdParty(),
                SessionState.of(Optional.of(sso(user, NOW))))).isEqualTo(new Step.Fail("consent_required",
                "Consent required"));
    }

    @Test
    void declinedConsentIsAccessDenied() {
        // RFC 6749 §4.1.2.1: access_denied, the resource owner denied the request.
        User user = user(false);

        Step step = engine.resume(outcome(List.of(), null, API), thirdParty(),
                SessionState.loggedIn(sso(user, NOW), user).answering(SessionState.ConsentAnswer.DECLINED));

        assertThat(step).isEqualTo(new Step.Fail("access_denied", "User did not authorize the request"));
    }

    @Test
    void anAudienceNoLongerRegisteredIsAccessDenied() {
        User user = user(false);

        Step step = engine.resume(outcome(List.of(), null, "https://gone.example/api"), firstParty(),
                SessionState.of(Optional.of(sso(user, NOW))));

        assertThat(step).isEqualTo(new Step.Fail("access_denied", "Service not found: https://gone.example/api"));
    }

    @Test
    void rbacLeavesOutTheScopesTheUserDoesNotHold() {
        // Auth0 §2.2: with enforce_policies, scope = requested ∩ the user's permissions.
        User user = user(false);

        Step step = engine.resume(outcome(List.of(), null, RBAC_API), thirdParty(),
                SessionState.loggedIn(sso(user, NOW), user).answering(SessionState.ConsentAnswer.ACCEPTED));

        assertThat(step).isInstanceOf(Step.Complete.class);
        assertThat(((Step.Complete) step).outcome().request().scopes()).containsExactly("openid");
    }

    private static Outcome outcome(List<String> prompt, Long maxAge, String audience) {
        return new Outcome.AuthorizationResponse(new CheckedAuthorization("client1", "https://app.example/cb",
                List.of("code"), "query", "xyz", null, List.of("openid", "read"), audience, "challenge", "S256",
                prompt, maxAge, null, List.of(), false));
    }

    private static Authentication sso(User user, Instant authTime) {
        return new Authentication(user.userId(), authTime, "sid-" + user.userId(), false);
    }

    private User user(boolean blocked) {
        String id = "auth0|" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        User user = new User(id, UserDirectory.DEFAULT_CONNECTION, id + "@example.com", true, "U", null, null, null,
                null, Map.of(), Map.of(), blocked, NOW, NOW, null, 0, null, null);
        users.put(id, user);
        return user;
    }

    private static Client firstParty() {
        return client(true);
    }

    private static Client thirdParty() {
        return client(false);
    }

    private static Client client(boolean firstParty) {
        return new Client("client1", "App", null, AppType.REGULAR_WEB, firstParty, false,
                TokenEndpointAuthMethod.CLIENT_SECRET_POST, null, List.of("authorization_code"),
                List.of("https://app.example/cb"), List.of(), List.of(), List.of(), JwtConfiguration.DEFAULT, Map.of(),
                NOW, NOW, null, false);
    }

    private static ResourceServer api(String id, String identifier, boolean enforcePolicies) {
        return new ResourceServer(id, identifier, "Notes", false, List.of(new ApiScope("read", "Read notes")),
                SigningAlgorithm.RS256, null, 7_200, 600, false, true, enforcePolicies, TokenDialect.ACCESS_TOKEN,
                NOW, NOW);
    }

    /** The users the engine reads, held in memory. */
    private final class Users implements UserDirectory {

        @Override
        public Optional<User> findById(String userId) {
            return Optional.ofNullable(users.get(userId));
        }

        @Override
        public Optional<User> findByEmail(String connection, String email) {
            return users.values().stream().filter(u -> u.email().equals(email)).findFirst();
        }

        @Override
        public LoginResult login(LoginAttempt attempt) {
            throw new UnsupportedOperationException("The engine never checks passwords");
        }
    }
}
