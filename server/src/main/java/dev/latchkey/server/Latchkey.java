package dev.latchkey.server;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import dev.latchkey.server.audit.AuditLog;
import dev.latchkey.server.audit.QueuedAuditLog;
import dev.latchkey.server.config.Settings;
import dev.latchkey.server.http.AddressLimit;
import dev.latchkey.server.http.AddressRanges;
import dev.latchkey.server.http.CallerLimit;
import dev.latchkey.server.http.HttpServer;
import dev.latchkey.server.http.OperationsEndpoints;
import dev.latchkey.server.http.RequestOrigin;
import dev.latchkey.server.http.TrustedProxies;
import dev.latchkey.server.identity.AccountLinking;
import dev.latchkey.server.identity.Argon2Cost;
import dev.latchkey.server.identity.BruteForceProtection;
import dev.latchkey.server.identity.CachedConnectionStore;
import dev.latchkey.server.identity.ConnectionSettings;
import dev.latchkey.server.identity.DatabaseUserDirectory;
import dev.latchkey.server.identity.DefaultConnection;
import dev.latchkey.server.identity.PasswordHasher;
import dev.latchkey.server.identity.UserAccounts;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.RsaKeyFactory;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.management.BootstrapFile;
import dev.latchkey.server.jobs.UserJobs;
import dev.latchkey.server.management.ManagementApi;
import dev.latchkey.server.management.ManagementAudit;
import dev.latchkey.server.management.ManagementAuthenticator;
import dev.latchkey.server.management.ManagementBootstrap;
import dev.latchkey.server.oauth.ClientAuthenticator;
import dev.latchkey.server.oauth.DiscoveryEndpoint;
import dev.latchkey.server.oauth.JwksEndpoint;
import dev.latchkey.server.oauth.TokenEndpoint;
import dev.latchkey.server.oauth.grant.ClientCredentialsGrant;
import dev.latchkey.server.oauth.grant.PasswordGrant;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.rbac.RbacPolicy;
import dev.latchkey.server.ratelimit.BucketClock;
import dev.latchkey.server.ratelimit.Buckets;
import dev.latchkey.server.ratelimit.ClientFailureThrottle;
import dev.latchkey.server.ratelimit.LocalBuckets;
import dev.latchkey.server.ratelimit.RateLimit;
import dev.latchkey.server.ratelimit.RateLimits;
import dev.latchkey.server.ratelimit.SharedBuckets;
import dev.latchkey.server.ratelimit.SyncedBuckets;
import dev.latchkey.server.store.PostgresRateLimitBuckets;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.JdbcBulkUserStore;
import dev.latchkey.server.store.JdbcUserJobStore;
import dev.latchkey.server.store.ExpiredRowSweeper;
import dev.latchkey.server.store.ExpiringRows;
import dev.latchkey.server.store.JdbcConnectionStore;
import dev.latchkey.server.store.JdbcAccountLinkStore;
import dev.latchkey.server.store.JdbcIdentityStore;
import dev.latchkey.server.store.JdbcUpstreamLoginStore;
import dev.latchkey.server.upstream.OAuth2Upstream;
import dev.latchkey.server.upstream.OidcProviders;
import dev.latchkey.server.upstream.OidcUpstream;
import dev.latchkey.server.upstream.IdpTokenVault;
import dev.latchkey.server.upstream.FederatedLogout;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.upstream.UpstreamHttp;
import dev.latchkey.server.upstream.UpstreamStrategies;
import dev.latchkey.server.upstream.UpstreamUsers;
import dev.latchkey.server.ui.UpstreamLoginPages;
import dev.latchkey.server.store.JdbcLogStore;
import dev.latchkey.server.store.JdbcLoginFailureStore;
import dev.latchkey.server.store.JdbcUsageStats;
import dev.latchkey.server.store.JdbcUserStore;
import dev.latchkey.server.store.JdbcClientGrantStore;
import dev.latchkey.server.store.JdbcClientStore;
import dev.latchkey.server.store.JdbcResourceServerStore;
import dev.latchkey.server.store.JdbcSigningKeyStore;
import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.Cors;
import dev.latchkey.server.identity.SessionLifetimes;
import dev.latchkey.server.identity.SsoSessions;
import dev.latchkey.server.oauth.IntrospectionEndpoint;
import dev.latchkey.server.oauth.RevocationEndpoint;
import dev.latchkey.server.store.JdbcKeptFieldsStore;
import dev.latchkey.server.store.JdbcTenantSettingsStore;
import dev.latchkey.server.store.PostgresRevocationBus;
import dev.latchkey.server.token.OwnTokens;
import dev.latchkey.server.oauth.LogoutEndpoints;
import dev.latchkey.server.oauth.UserinfoEndpoint;
import dev.latchkey.server.oauth.authorize.AuthorizationCompletion;
import dev.latchkey.server.oauth.authorize.AuthorizationIssuer;
import dev.latchkey.server.oauth.authorize.AuthorizationResponder;
import dev.latchkey.server.oauth.authorize.AuthorizeEndpoint;
import dev.latchkey.server.oauth.authorize.ConsentPolicy;
import dev.latchkey.server.interaction.ConsentQuestions;
import dev.latchkey.server.interaction.InteractionEngine;
import dev.latchkey.server.interaction.LoginTransactions;
import dev.latchkey.server.oauth.grant.AuthorizationCodeGrant;
import dev.latchkey.server.oauth.grant.SealedCodes;
import dev.latchkey.server.store.JdbcAuthorizationCodeStore;
import dev.latchkey.server.store.JdbcKnownWebOrigins;
import dev.latchkey.server.store.JdbcLoginTransactionStore;
import dev.latchkey.server.store.JdbcOpaqueTokenStore;
import dev.latchkey.server.store.JdbcSsoSessionStore;
import dev.latchkey.server.store.JdbcUserGrantStore;
import dev.latchkey.server.store.JdbcRoleStore;
import dev.latchkey.server.store.JdbcUserPermissionStore;
import dev.latchkey.server.token.IdTokenFormat;
import dev.latchkey.server.token.OpaqueAccessTokenFormat;
import dev.latchkey.server.token.OpaqueTokenLookup;
import dev.latchkey.server.token.AuthorizationLookup;
import dev.latchkey.server.token.RevocationBus;
import dev.latchkey.server.token.Revocations;
import dev.latchkey.server.token.SealedOpaqueTokens;
import dev.latchkey.server.token.TokenIssuer;
import dev.latchkey.server.store.JdbcAuthorizationStore;
import dev.latchkey.server.store.JdbcRefreshTokenStore;
import dev.latchkey.server.store.ReleaseGate;
import dev.latchkey.server.token.FamilySecrets;
import dev.latchkey.server.oauth.grant.RefreshTokenGrant;
import dev.latchkey.server.ui.BrowserSession;
import dev.latchkey.server.ui.ConsentPage;
import dev.latchkey.server.ui.LoginPage;
import dev.latchkey.server.ui.Pages;
import dev.latchkey.server.ui.StepResponder;
import dev.latchkey.server.ui.ActivatePage;
import dev.latchkey.server.ui.OutcomeRouter;
import dev.latchkey.server.oauth.device.DeviceApprovalCompletion;
import dev.latchkey.server.oauth.device.DeviceAuthorizationEndpoint;
import dev.latchkey.server.oauth.grant.DeviceCodeGrant;
import dev.latchkey.server.oauth.grant.FederatedConnectionTokenGrant;
import dev.latchkey.server.store.JdbcDeviceCodeStore;
import dev.latchkey.server.token.JwtAccessTokenFormat;
import dev.latchkey.server.token.TokenSigner;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Builds the server's object graph by hand, in dependency order, and runs it. Everything a
 * request touches is created here; nothing is found by reflection.
 */
public final class Latchkey implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Latchkey.class);
    /** How often a node re-reads the key ring, so a rotation elsewhere reaches it. */
    public static final Duration KEY_RING_RELOAD = Duration.ofSeconds(10);
    /** How often expired rows (log entries, login failure counters, ...) are swept. */
    private static final long SWEEP_SECONDS = 60;

    private final Settings settings;
    private final Database database;
    private final HttpServer http;
    private final ScheduledExecutorService background;
    private final ManagementBootstrap.Credentials bootstrap;
    private final QueuedAuditLog auditLog;
    private final UserDirectory users;
    /** Null on an embedded database: one node needs no bus. */
    private final PostgresRevocationBus revocationBus;

    private Latchkey(Settings settings, Database database, HttpServer http, ScheduledExecutorService background,
                     ManagementBootstrap.Credentials bootstrap, QueuedAuditLog auditLog, UserDirectory users,
                     PostgresRevocationBus revocationBus) {
        this.settings = settings;
        this.database = database;
        this.http = http;
        this.background = background;
        this.bootstrap = bootstrap;
        this.auditLog = auditLog;
        this.users = users;
        this.revocationBus = revocationBus;
    }

    public static Latchkey start(Settings settings) {
        return start(settings, Argon2Cost.OWASP, KEY_RING_RELOAD);
    }

    /** Starts with another Argon2id cost for new password hashes (tests use a cheaper one). */
    public static Latchkey start(Settings settings, Argon2Cost passwordCost) {
        return start(settings, passwordCost, KEY_RING_RELOAD);
    }

    /** Starts with another key-ring reload interval too (tests of several nodes use a short one). */
    public static Latchkey start(Settings settings, Argon2Cost passwordCost, Duration keyRingReload) {
        return start(settings, passwordCost, keyRingReload, Clock.systemUTC());
    }

    /** Starts on another clock too: tests move time instead of forging expired tokens. */
    public static Latchkey start(Settings settings, Argon2Cost passwordCost, Duration keyRingReload, Clock clock) {
        if (keyRingReload.isNegative() || keyRingReload.isZero()) {
            throw new IllegalArgumentException("The key ring reload interval must be positive, got " + keyRingReload);
        }
        String cryptoProvider = installFastCrypto();
        MasterKey masterKey = MasterKey.load(settings.masterKey(), settings.dataDir());
        // A key from outside the data directory also encrypts the embedded database (H2) with a derived key.
        boolean keyKeptApart = settings.masterKey() != null && !settings.masterKey().isBlank();
        Database database = Database.open(settings.databaseUrl(), settings.databaseUser(), settings.databasePassword(),
                masterKey, keyKeptApart);
        QueuedAuditLog auditLog = null;
        PostgresRevocationBus revocationBus = null;
        try {
            var jdbi = database.jdbi();
            var apis = new JdbcResourceServerStore(jdbi, masterKey);
            var clients = new JdbcClientStore(jdbi);
            var grants = new JdbcClientGrantStore(jdbi);
            var ring = new SigningKeyRing(new JdbcSigningKeyStore(jdbi, masterKey),
                    new RsaKeyFactory(settings.issuer().getHost()), clock);
            ring.ensureReady();
            var credentials = new ManagementBootstrap(apis, clients, grants, masterKey, clock)
                    .ensure(settings.managementAudience(), settings.bootstrapClientId(),
                            settings.bootstrapClientSecret(), settings.dataDir());

            // Looked up by name on every upstream login, twice: kept a few seconds, as clients are.
            var connections = new CachedConnectionStore(new JdbcConnectionStore(jdbi, masterKey));
            DefaultConnection.ensure(connections, clock);
            var logStore = new JdbcLogStore(jdbi);
            auditLog = new QueuedAuditLog(logStore, clock);
            var userStore = new JdbcUserStore(jdbi);
            var loginFailures = new JdbcLoginFailureStore(jdbi);
            var passwords = new PasswordHasher(passwordCost);
            var bruteForce = new BruteForceProtection(loginFailures,
                    AddressRanges.parse("LATCHKEY_TRUSTED_NETWORKS", settings.trustedNetworks()));
            var users = new DatabaseUserDirectory(userStore, passwords, bruteForce, auditLog, clock,
                    new ConnectionSettings(connections)::bruteForceProtection);

            var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registerPasswordMeters(passwords, metrics);
            var tenantSettings = new JdbcTenantSettingsStore(jdbi);
            var lookups = new RegistryLookups(clients, apis, grants, tenantSettings);
            var signer = new TokenSigner(ring);
            var tokens = new JwtAccessTokenFormat(settings.issuerString(), signer, clock);
            var origin = new RequestOrigin(TrustedProxies.parse(settings.trustedProxies()), settings.tls());

            // Browser flows: /authorize, login and consent pages, codes, ID tokens, /userinfo, logout.
            String issuer = settings.issuerString();
            String userinfoAudience = issuer + "userinfo";
            var sessionStore = new JdbcSsoSessionStore(jdbi, masterKey);
            var transactionStore = new JdbcLoginTransactionStore(jdbi);
            var codeStore = new JdbcAuthorizationCodeStore(jdbi);
            var opaqueStore = new JdbcOpaqueTokenStore(jdbi);
            var userGrants = new JdbcUserGrantStore(jdbi);
            var sessions = new SsoSessions(sessionStore, clock, () -> new SessionLifetimes(
                    lookups.tenant().sessionLifetime(), lookups.tenant().idleSessionLifetime()));
            var transactions = new LoginTransactions(transactionStore, clock);
            var idTokens = new IdTokenFormat(issuer, signer, masterKey, clock);
            var opaqueLookup = new OpaqueTokenLookup(opaqueStore, clock);
            // The token lifecycle: authorizations, the one issuer, refresh tokens, revocation.
            var authorizationStore = new JdbcAuthorizationStore(jdbi);
            var refreshStore = new JdbcRefreshTokenStore(database);
            var authorizations = new AuthorizationLookup(authorizationStore);
            // Several nodes share PostgreSQL: revocations reach their caches through LISTEN/NOTIFY.
            revocationBus = settings.databaseUrl().startsWith("jdbc:postgresql:")
                    ? new PostgresRevocationBus(jdbi, settings.databaseUrl(), settings.databaseUser(),
                            settings.databasePassword())
                    : null;
            var revocations = new Revocations(authorizationStore, opaqueLookup, authorizations,
                    revocationBus == null ? RevocationBus.LOCAL : revocationBus, clock);
            var roles = new JdbcRoleStore(jdbi, clock);
            var userPermissions = new JdbcUserPermissionStore(jdbi);
            var rbac = new RbacPolicy(userPermissions);
            var familySecrets = FamilySecrets.of(masterKey);
            var releaseGate = new ReleaseGate(database, clock);
            var sealedCodes = new SealedCodes(masterKey);
            var sealedOpaque = new SealedOpaqueTokens(masterKey);
            var opaqueFormat = new OpaqueAccessTokenFormat(opaqueStore, sealedOpaque, releaseGate, clock);
            var tokenIssuer = new TokenIssuer(tokens, opaqueFormat, idTokens, authorizationStore, refreshStore, rbac,
                    clock, releaseGate, familySecrets);
            var consent = new ConsentPolicy(userGrants, userinfoAudience, clock);
            var pages = new Pages();
            var cookies = new Cookies(origin);
            var responder = new AuthorizationResponder(pages, issuer);
            var browser = new BrowserSession(sessions, cookies);
            var engine = new InteractionEngine(lookups, users, consent, rbac, clock);
            var deviceCodes = new JdbcDeviceCodeStore(jdbi);
            var steps = new StepResponder(issuer, transactions, browser, origin, new OutcomeRouter(
                    new AuthorizationCompletion(new AuthorizationIssuer(codeStore, sealedCodes, releaseGate,
                            tokenIssuer, clock), responder),
                    new DeviceApprovalCompletion(deviceCodes, tokenIssuer, pages, auditLog, clock)));
            var ownTokens = new OwnTokens(issuer, ring, opaqueLookup, authorizations, lookups, masterKey, clock);
            // Upstream identity providers (connections of strategy oidc, oauth2 and the social presets):
            // /authorize?connection=, /login/callback.
            var identities = new JdbcIdentityStore(jdbi, masterKey);
            var upstreamLoginStore = new JdbcUpstreamLoginStore(jdbi, masterKey);
            var upstreamHttp = new UpstreamHttp();
            var oidcUpstream = new OidcUpstream(new OidcProviders(upstreamHttp, clock), upstreamHttp);
            // Providers' tokens refreshed for applications (Token Vault), per strategy that can.
            var upstreamStrategies = new UpstreamStrategies(oidcUpstream, new OAuth2Upstream(upstreamHttp));
            var idpTokenVault = new IdpTokenVault(identities, upstreamStrategies::refresh, clock);
            var upstreamLogins = new UpstreamLoginPages(issuer, transactions, lookups, connections,
                    upstreamStrategies, upstreamLoginStore, masterKey, releaseGate,
                    new UpstreamUsers(userStore, identities, clock), engine, steps, browser, pages, origin, clock,
                    auditLog);
            var authorize = new AuthorizeEndpoint(lookups, userinfoAudience, ownTokens, engine, browser, steps,
                    responder, pages, connections, upstreamLogins);
            var loginPage = new LoginPage(transactions, lookups, users, engine, steps, browser, pages, origin, clock,
                    connections, upstreamLogins);
            var questions = new ConsentQuestions(lookups, rbac, consent);
            var consentPage = new ConsentPage(transactions, lookups, users, questions, engine, steps, browser, pages);
            var userinfo = new UserinfoEndpoint(issuer, ownTokens, users);
            var logout = new LogoutEndpoints(lookups, browser, ownTokens, origin, pages, auditLog,
                    new FederatedLogout(connections, oidcUpstream));
            var cors = new Cors(new JdbcKnownWebOrigins(jdbi));

            // Rate limits: the per-address and per-client buckets sit on the hot path and stay in this node's
            // memory; the ones an attacker could spread over nodes (failed client authentications per client_id,
            // Management API calls per token) are shared through PostgreSQL when the cluster runs on it.
            RateLimits limits = settings.rateLimits();
            var bucketClock = new BucketClock(clock);
            PostgresRateLimitBuckets sharedBuckets = settings.postgres()
                    ? new PostgresRateLimitBuckets(database, bucketClock) : null;
            var addressLimit = new AddressLimit(new LocalBuckets(limits.address(), bucketClock), origin);
            var clientFailures = new ClientFailureThrottle(
                    clusterWide(sharedBuckets, "client-failures", limits.clientFailures(), bucketClock),
                    limits.clientFailures(), bucketClock);
            var clientLimit = new CallerLimit(new LocalBuckets(limits.client(), bucketClock),
                    "Too many requests from this client; retry later");
            // The Management API's per token: spent in memory, synced in batches (approximate by 2% per node).
            var managementLimit = new CallerLimit(sharedBuckets == null
                    ? new LocalBuckets(limits.managementToken(), bucketClock)
                    : new SyncedBuckets("management-token", limits.managementToken(), sharedBuckets.proxies(),
                            bucketClock),
                    "Too many requests with this token; retry later");

            var clientAuthenticator = new ClientAuthenticator(lookups, clientFailures, clientLimit);
            var tokenEndpoint = new TokenEndpoint(clientAuthenticator,
                    List.of(new ClientCredentialsGrant(lookups, tokenIssuer),
                            new AuthorizationCodeGrant(codeStore, sealedCodes, authorizationStore, lookups, users,
                                    tokenIssuer, revocations, clock),
                            new RefreshTokenGrant(refreshStore, authorizations, lookups, users, tokenIssuer,
                                    revocations, clock, familySecrets),
                            PasswordGrant.password(userinfoAudience, lookups, connections, users, tokenIssuer, clock),
                            PasswordGrant.realm(userinfoAudience, lookups, connections, users, tokenIssuer, clock),
                            new DeviceCodeGrant(deviceCodes, lookups, users, tokenIssuer, revocations, clock),
                            new FederatedConnectionTokenGrant(refreshStore, authorizations, users, connections,
                                    idpTokenVault, clock, familySecrets)),
                    origin, auditLog, metrics);
            var revocation = new RevocationEndpoint(clientAuthenticator, refreshStore, opaqueStore, sealedOpaque,
                    authorizations, revocations, lookups, familySecrets, clock);
            var introspection = new IntrospectionEndpoint(clientAuthenticator, ownTokens, refreshStore, authorizations,
                    issuer, clock, familySecrets);
            // Device authorization (RFC 8628): the code endpoint, and /activate on the login and consent pages.
            var deviceAuthorization = new DeviceAuthorizationEndpoint(issuer, userinfoAudience, clientAuthenticator,
                    lookups, deviceCodes, auditLog, origin, clock);
            RateLimit wrongUserCodes = RateLimit.parse("wrong user codes", ActivatePage.WRONG_ENTRIES);
            var activatePage = new ActivatePage(issuer, lookups, deviceCodes, new ClientFailureThrottle(
                    clusterWide(sharedBuckets, "user-code-failures", wrongUserCodes, bucketClock), wrongUserCodes,
                    bucketClock, ActivatePage.TOO_MANY), engine, steps, browser, pages, origin, auditLog, clock);
            var discovery = new DiscoveryEndpoint(settings.issuerString(), tokenEndpoint.grantTypes());
            var jwks = new JwksEndpoint(ring);
            var accounts = new UserAccounts(userStore, connections, passwords, bruteForce, revocations::user, clock,
                    identities);
            var userJobs = new UserJobs(new JdbcUserJobStore(jdbi), new JdbcBulkUserStore(jdbi), connections, accounts,
                    clock, 4);
            var management = new ManagementApi(settings.issuerString(),
                    new ManagementAuthenticator(ownTokens, settings.managementAudience()),
                    new ManagementAudit(auditLog, origin, lookups), apis, clients, grants, lookups, ring, masterKey,
                    new BootstrapFile(credentials), clock, accounts, connections, logStore,
                    managementLimit, new JdbcKeptFieldsStore(jdbi));
            var operations = new OperationsEndpoints(database::ping, metrics, settings.metricsToken());
            if (settings.metricsToken() == null && !HttpServer.isLoopback(settings.bind())) {
                LOG.warn("/metrics answers only callers on this machine though the server listens on {}; set "
                        + "LATCHKEY_METRICS_TOKEN to scrape it from elsewhere with a Bearer token", settings.bind());
            }

            HttpServer http = HttpServer.start(settings, origin, routes -> {
                routes.before(addressLimit::before);
                routes.after(addressLimit::after);
                routes.get("/.well-known/openid-configuration", discovery::handle);
                routes.get("/.well-known/oauth-authorization-server", discovery::handle);
                routes.get("/.well-known/jwks.json", jwks::handle);
                routes.before("/oauth/token", cors::allow);
                routes.options("/oauth/token", ctx -> cors.preflight(ctx, "POST"));
                routes.post("/oauth/token", tokenEndpoint::handle);
                routes.post("/oauth/device/code", deviceAuthorization::handle);
                routes.get("/activate", activatePage::show);
                routes.post("/activate", activatePage::submit);
                routes.get("/authorize", authorize::handle);
                routes.post("/authorize", authorize::handle);
                routes.get("/u/login", loginPage::show);
                routes.post("/u/login", loginPage::submit);
                routes.get("/u/login/upstream", upstreamLogins::fromLoginPage);
                routes.get("/login/callback", upstreamLogins::callback);
                routes.post("/login/callback", upstreamLogins::formPostCallback);
                routes.get("/u/consent", consentPage::show);
                routes.post("/u/consent", consentPage::submit);
                routes.before("/userinfo", cors::allow);
                routes.options("/userinfo", ctx -> cors.preflight(ctx, "GET, POST"));
                routes.get("/userinfo", userinfo::handle);
                routes.post("/userinfo", userinfo::handle);
                routes.get("/v2/logout", logout::auth0);
                routes.get("/oidc/logout", logout::oidc);
                routes.post("/oidc/logout", logout::oidc);
                routes.get("/health/live", operations::live);
                routes.get("/health/ready", operations::ready);
                routes.get("/metrics", operations::metrics);
                management.register(routes);
                routes.before("/oauth/revoke", cors::allow);
                routes.options("/oauth/revoke", ctx -> cors.preflight(ctx, "POST"));
                routes.post("/oauth/revoke", revocation::handle);
                routes.post("/oauth/introspect", introspection::handle);
                management.registerUserGrants(userGrants, revocations, userinfoAudience);
                management.registerLifecycle(refreshStore, sessionStore, revocations, tenantSettings, lookups);
                management.registerRbac(roles, userPermissions, apis, lookups, accounts, clock);
                management.registerStats(new JdbcUsageStats(jdbi), clock);
                management.registerIdentities(new AccountLinking(accounts, userStore, identities,
                        new JdbcAccountLinkStore(jdbi), connections, revocations::user, clock), ownTokens, lookups, clock);
                management.registerJobs(userJobs, masterKey, settings.issuerString(), clock,
                        settings.dataDir().resolve("imports"), importMaxBytes());
            });

            ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "latchkey-background");
                thread.setDaemon(true);
                return thread;
            });
            background.scheduleWithFixedDelay(() -> reloadQuietly(ring), keyRingReload.toMillis(),
                    keyRingReload.toMillis(), TimeUnit.MILLISECONDS);
            List<ExpiringRows> expiring = new ArrayList<>(List.of(logStore::deleteExpired,
                    loginFailures::deleteExpired, sessionStore::deleteExpired, transactionStore::deleteExpired,
                    codeStore::deleteExpired, opaqueStore::deleteExpired, refreshStore::deleteExpired,
                    authorizationStore::deleteExpired, deviceCodes::deleteExpired, upstreamLoginStore::deleteExpired));
            if (sharedBuckets != null) {
                expiring.add(sharedBuckets);
            }
            background.scheduleWithFixedDelay(new ExpiredRowSweeper(expiring, clock),
                    SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
            LOG.info("Signing with {} (crypto provider: {})", ring.current().kid(), cryptoProvider);
            return new Latchkey(settings, database, http, background, credentials, auditLog, users, revocationBus);
        } catch (RuntimeException e) {
            if (auditLog != null) {
                auditLog.close();
            }
            if (revocationBus != null) {
                revocationBus.close();
            }
            database.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public Settings settings() {
        return settings;
    }

    public ManagementBootstrap.Credentials bootstrapCredentials() {
        return bootstrap;
    }

    /** The users of database connections (login page, password grant). */
    public UserDirectory users() {
        return users;
    }

    public AuditLog auditLog() {
        return auditLog;
    }

    @Override
    public void close() {
        // HTTP first: requests in flight finish (and write their audit lines) before anything they use closes.
        http.stop();
        background.shutdownNow();
        if (revocationBus != null) {
            revocationBus.close();
        }
        auditLog.close();
        database.close();
    }

    /**
     * Puts the native AWS-LC provider first when it loads on this platform: it signs RSA about
     * twice as fast as the JDK. Falls back to the JDK's providers silently otherwise.
     */
    private static String installFastCrypto() {
        try {
            if (AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null) {
                AmazonCorrettoCryptoProvider.install();
                return AmazonCorrettoCryptoProvider.PROVIDER_NAME;
            }
        } catch (LinkageError e) {
            LOG.debug("Native crypto provider unavailable", e);
        }
        return "JDK";
    }

    /** Buckets every node shares when there is a shared store; this node's own otherwise (one node, H2). */
    private static Buckets clusterWide(PostgresRateLimitBuckets shared, String family, RateLimit limit,
                                       BucketClock clock) {
        return shared == null ? new LocalBuckets(limit, clock) : new SharedBuckets(family, limit, shared.proxies(), clock);
    }

    private static void reloadQuietly(SigningKeyRing ring) {
        try {
            ring.reload();
        } catch (RuntimeException e) {
            LOG.warn("Could not re-read the signing keys; keeping the ones loaded: {}", e.getMessage());
        }
    }

    /** What Argon2id costs this server: how many, how much CPU, and how many logins it had to refuse. */
    /**
     * LATCHKEY_IMPORT_MAX_BYTES (or the system property latchkey.import.max.bytes): the largest users
     * file an import takes, 100 MiB unless set.
     */
    private static long importMaxBytes() {
        String value = System.getProperty("latchkey.import.max.bytes", System.getenv("LATCHKEY_IMPORT_MAX_BYTES"));
        if (value == null || value.isBlank()) {
            return 100L << 20;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LATCHKEY_IMPORT_MAX_BYTES is a number of bytes, not " + value);
        }
    }

    private static void registerPasswordMeters(PasswordHasher passwords, MeterRegistry metrics) {
        FunctionCounter.builder("latchkey_password_hashes", passwords, PasswordHasher::computations)
                .description("Argon2id computations: logins, new passwords, checks for unknown users").register(metrics);
        FunctionCounter.builder("latchkey_password_hash_cpu", passwords, p -> p.cpuNanos() / 1e9).baseUnit("seconds")
                .description("CPU time of those Argon2id computations").register(metrics);
        FunctionCounter.builder("latchkey_password_hash_refused", passwords, PasswordHasher::refusals)
                .description("Password checks refused because every hashing slot stayed busy").register(metrics);
    }
}
