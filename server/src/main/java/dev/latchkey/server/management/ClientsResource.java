package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.registry.AppType;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientSecret;
import dev.latchkey.server.registry.ClientStore;
import dev.latchkey.server.registry.JwtConfiguration;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.TokenEndpointAuthMethod;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** {@code /api/v2/clients}: applications. */
final class ClientsResource {

    static final String SECRET_PURPOSE = "clients.client_secret";
    private static final String READ_KEYS = "read:client_keys";
    static final Set<String> GRANT_TYPES = Set.of("authorization_code", "implicit", "refresh_token",
            "client_credentials", "password", "http://auth0.com/oauth/grant-type/password-realm",
            "urn:ietf:params:oauth:grant-type:device_code",
            "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token");
    /** The properties Latchkey acts on; Auth0's others are kept ({@link KeptFields}). */
    private static final Set<String> FIELDS = Set.of("name", "description", "app_type", "is_first_party",
            "oidc_conformant", "token_endpoint_auth_method", "grant_types", "callbacks", "allowed_logout_urls",
            "web_origins", "allowed_origins", "jwt_configuration", "client_metadata", "refresh_token",
            "is_token_endpoint_ip_header_trusted");
    private static final Set<String> MODELLED = union(FIELDS, Set.of("client_secret"));
    private static final Set<String> KEY_FIELDS = Set.of("token_endpoint_auth_method", "client_secret");
    /** A secret set through PATCH is at least this long (Auth0 documents no minimum; a short one is guessable). */
    static final int MIN_SECRET_LENGTH = 32;
    private static final int MAX_URL = 2048;
    private static final int MAX_URLS = 100;

    private final ClientStore store;
    private final RegistryLookups lookups;
    private final MasterKey masterKey;
    private final SecretAccess secrets;
    private final BootstrapFile bootstrapFile;
    private final Clock clock;
    private final KeptFields kept;
    private final ClientJsonCache answers = new ClientJsonCache();

    ClientsResource(ClientStore store, RegistryLookups lookups, MasterKey masterKey, SecretAccess secrets,
                    BootstrapFile bootstrapFile, Clock clock, KeptFieldsStore keptStore) {
        this.kept = new KeptFields(keptStore, KeptFieldsStore.CLIENT);
        this.store = store;
        this.lookups = lookups;
        this.masterKey = masterKey;
        this.secrets = secrets;
        this.bootstrapFile = bootstrapFile;
        this.clock = clock;
    }

    /** Secrets only of the clients the caller may read them of ({@link SecretAccess}); the others without. */
    void list(Context ctx, ManagementCaller caller) {
        PageRequest page = Paging.request(ctx);
        SecretAccess.Reader reader = secrets.of(caller);
        boolean keys = caller.scopes().contains(READ_KEYS);
        var clients = store.list(page);
        var keptOfAll = kept.ofAll(clients.items(), Client::clientId);
        Paging.write(ctx, "clients", page, clients, c -> KeptFields.with(view(c, keys && reader.may(c.clientId())),
                keptOfAll.get(c.clientId())));
    }

    /**
     * With {@code read:client_keys}, the secret too where {@link SecretAccess} allows it. Where it does not, a
     * caller that also holds {@code read:clients} gets the client without its secret, and one that holds only
     * {@code read:client_keys} a 403: that scope alone gives nothing else to read.
     */
    void get(Context ctx, ManagementCaller caller) {
        Client client = lookups.client(ManagementRouter.pathParam(ctx, "id")).orElseThrow(ClientsResource::inexistent);
        boolean withSecret = false;
        if (caller.scopes().contains(READ_KEYS)) {
            List<String> missing = secrets.of(caller).missing(client.clientId());
            if (missing.isEmpty()) {
                withSecret = true;
            } else if (!caller.scopes().contains("read:clients")) {
                throw beyondReach("read", missing);
            }
        }
        String secret = withSecret && client.secret() != null ? secretOf(client) : null;
        Json.write(ctx, 200, answers.answer(client, kept.of(client.clientId()), secret, ClientsResource::parts));
    }

    void create(Context ctx, ManagementCaller caller) {
        JsonBody body = JsonBody.read(ctx);
        Map<String, Object> keptFields = ManagementSchemas.CLIENT_CREATE.kept(body, MODELLED);
        String name = body.requiredString("name", 200);
        AppType appType = body.string("app_type", 40).map(ClientsResource::appType).orElse(AppType.REGULAR_WEB);
        Instant now = clock.instant();
        TokenEndpointAuthMethod method = appType.publicClient()
                ? TokenEndpointAuthMethod.NONE : TokenEndpointAuthMethod.CLIENT_SECRET_POST;
        Client defaults = new Client(RandomStrings.clientId(), name, null, appType, true, false, method, null,
                defaultGrantTypes(appType), List.of(), List.of(), List.of(), List.of(), JwtConfiguration.DEFAULT,
                Map.of(), now, now, null, false);
        Client client = apply(body, defaults, now);
        store.create(client);
        kept.created(client.clientId(), keptFields);
        lookups.invalidateAll();
        // Auth0 shows the new secret in the create response.
        Json.write(ctx, 201, KeptFields.with(view(client, true), keptFields));
    }

    void update(Context ctx, ManagementCaller caller) {
        Client existing = find(ManagementRouter.pathParam(ctx, "id"));
        refuseSystemChange(existing);
        JsonBody body = JsonBody.read(ctx);
        // update:client_keys alone may change how the client authenticates, not where tokens go.
        if (!caller.scopes().contains("update:clients")) {
            body.allowOnly(KEY_FIELDS);
        }
        Map<String, Object> changes = ManagementSchemas.CLIENT_UPDATE.kept(body, MODELLED);
        Client updated = apply(body, existing, clock.instant());
        if (body.has("client_secret")) {
            updated = withGivenSecret(caller, updated, body);
        }
        store.update(updated);
        Map<String, Object> keptFields = kept.changed(updated.clientId(), changes);
        lookups.invalidateAll();
        Json.write(ctx, 200, KeptFields.with(view(updated, caller.scopes().contains(READ_KEYS)
                && secrets.of(caller).may(updated.clientId())), keptFields));
    }

    void delete(Context ctx, ManagementCaller caller) {
        Client existing = find(ManagementRouter.pathParam(ctx, "id"));
        if (existing.system()) {
            throw ManagementException.forbidden(
                    "The bootstrap client cannot be deleted; set LATCHKEY_BOOTSTRAP_CLIENT_ID to use another");
        }
        store.delete(existing.clientId());
        kept.deleted(existing.clientId());
        lookups.invalidateAll();
        ctx.status(204);
    }

    /**
     * {@code POST /api/v2/clients/{id}/rotate-secret}: a new secret, shown in the answer; the old one stops
     * working at once. The caller must be one that may read the secret ({@link SecretAccess}): the answer
     * holds it. The bootstrap client's new secret is written where the server reads it at start first.
     */
    void rotateSecret(Context ctx, ManagementCaller caller) {
        Client existing = find(ManagementRouter.pathParam(ctx, "id"));
        List<String> missing = secrets.of(caller).missing(existing.clientId());
        if (!missing.isEmpty()) {
            throw beyondReach("rotate", missing);
        }
        if (!existing.confidential()) {
            throw ManagementException.badRequest("A public client (token_endpoint_auth_method none) has no secret");
        }
        String secret = newSecret();
        if (existing.system()) {
            bootstrapFile.keep(existing.clientId(), secret);
        }
        Client updated = withSecret(existing, secret, clock.instant());
        store.update(updated);
        lookups.invalidateAll();
        Json.write(ctx, 200, KeptFields.with(view(updated, true), kept.of(updated.clientId())));
    }

    /**
     * Auth0's PATCH {@code client_secret}: the secret the client authenticates with from now on. Whoever sets a
     * secret knows it, so the caller must be one that may read it ({@link SecretAccess}), as for rotate-secret.
     */
    private Client withGivenSecret(ManagementCaller caller, Client client, JsonBody body) {
        List<String> missing = secrets.of(caller).missing(client.clientId());
        if (!missing.isEmpty()) {
            throw beyondReach("set", missing);
        }
        if (!client.confidential()) {
            throw JsonBody.invalid("A public client (token_endpoint_auth_method none) has no secret", "client_secret");
        }
        String secret = body.string("client_secret", 1000).orElseThrow();
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw JsonBody.invalid("String is too short (" + secret.length() + " chars), minimum "
                    + MIN_SECRET_LENGTH, "client_secret");
        }
        return withSecret(client, secret, client.updatedAt());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /**
     * The bootstrap client is re-created from LATCHKEY_BOOTSTRAP_CLIENT_* or bootstrap.json at every
     * start, so a change made here would silently come undone: refuse it and say where to change it.
     */
    private static void refuseSystemChange(Client client) {
        if (client.system()) {
            throw ManagementException.forbidden("The bootstrap client is managed by the server: set "
                    + "LATCHKEY_BOOTSTRAP_CLIENT_ID and _SECRET (or edit bootstrap.json) and restart to change it");
        }
    }

    /** The client as stored now: what a write starts from. */
    private Client find(String id) {
        return store.findById(id).orElseThrow(ClientsResource::inexistent);
    }

    private static ManagementException inexistent() {
        return ManagementException.notFound("The client does not exist", "inexistent_client");
    }

    private Client apply(JsonBody body, Client base, Instant now) {
        AppType appType = body.string("app_type", 40).map(ClientsResource::appType).orElse(base.appType());
        TokenEndpointAuthMethod method = body.string("token_endpoint_auth_method", 40)
                .map(value -> TokenEndpointAuthMethod.parse(value).orElseThrow(() -> JsonBody.invalid(
                        "No enum match for: \"" + value + "\"; expected none, client_secret_post or "
                                + "client_secret_basic", "token_endpoint_auth_method")))
                .orElse(base.tokenEndpointAuthMethod());
        List<String> grantTypes = body.strings("grant_types", 200).orElse(base.grantTypes());
        for (String grantType : grantTypes) {
            if (!GRANT_TYPES.contains(grantType)) {
                throw JsonBody.invalid("Unknown grant type " + grantType, "grant_types");
            }
        }
        if (method == TokenEndpointAuthMethod.NONE && grantTypes.contains("client_credentials")) {
            throw JsonBody.invalid("A public client (token_endpoint_auth_method none) cannot use "
                    + "client_credentials", "grant_types");
        }
        if (body.bool("oidc_conformant").orElse(true) == Boolean.FALSE) {
            throw JsonBody.invalid("Only OIDC-conformant clients are supported", "oidc_conformant");
        }
        JwtConfiguration jwt = body.object("jwt_configuration")
                .map(object -> jwtConfiguration(object, base.jwtConfiguration()))
                .orElse(base.jwtConfiguration());
        ClientSecret secret = base.secret();
        if (method == TokenEndpointAuthMethod.NONE) {
            secret = null;
        } else if (secret == null) {
            secret = seal(newSecret());
        }
        return new Client(base.clientId(),
                body.string("name", 200).orElse(base.name()),
                body.multiLine("description", 1000).orElse(base.description()),
                appType,
                body.bool("is_first_party").orElse(base.firstParty()),
                base.system(),
                method,
                secret,
                grantTypes,
                urls(body, "callbacks", base.callbacks(), ClientUrls::checkRedirect),
                urls(body, "allowed_logout_urls", base.allowedLogoutUrls(), ClientUrls::checkRedirect),
                urls(body, "web_origins", base.webOrigins(), ClientUrls::checkOrigin),
                urls(body, "allowed_origins", base.allowedOrigins(), ClientUrls::checkOrigin),
                jwt,
                body.stringMap("client_metadata").orElse(base.clientMetadata()),
                base.createdAt(),
                now,
                body.object("refresh_token").map(object -> RefreshTokenJson.read(object, appType,
                        base.appType() == appType ? base.refreshToken() : null)).orElse(
                        base.appType() == appType ? base.refreshToken() : null),
                body.bool("is_token_endpoint_ip_header_trusted").orElse(base.ipHeaderTrusted()));
    }

    private static List<String> urls(JsonBody body, String field, List<String> fallback,
                                     Function<String, String> check) {
        Optional<List<String>> given = body.strings(field, MAX_URL);
        if (given.isEmpty()) {
            return fallback;
        }
        List<String> urls = given.get();
        if (urls.size() > MAX_URLS) {
            throw JsonBody.invalid("At most " + MAX_URLS + " entries", field);
        }
        for (int i = 0; i < urls.size(); i++) {
            String problem = check.apply(urls.get(i));
            if (problem != null) {
                throw JsonBody.invalid(problem, field + "[" + i + "]");
            }
        }
        return urls;
    }

    private static JwtConfiguration jwtConfiguration(JsonBody object, JwtConfiguration base) {
        object.allowOnly(Set.of("lifetime_in_seconds", "alg", "secret_encoded", "scopes"));
        String alg = object.string("alg", 10).orElse(base.alg());
        if (!alg.equals("RS256") && !alg.equals("HS256") && !alg.equals("PS256")) {
            throw JsonBody.invalid("No enum match for: \"" + alg + "\"; expected RS256, PS256 or HS256",
                    "jwt_configuration.alg");
        }
        return new JwtConfiguration(
                object.integer("lifetime_in_seconds", 1, 2_592_000).orElse(base.lifetimeInSeconds()),
                alg,
                object.bool("secret_encoded").orElse(base.secretEncoded()));
    }

    private static AppType appType(String value) {
        return AppType.parse(value).orElseThrow(() -> JsonBody.invalid("No enum match for: \"" + value
                + "\"; expected non_interactive, regular_web, spa or native", "app_type"));
    }

    /**
     * The grant types a new client gets when it names none. Auth0 gives regular_web apps
     * authorization_code, implicit, refresh_token and client_credentials, and spa and native apps
     * authorization_code, implicit and refresh_token. Latchkey leaves implicit out: RFC 9700 §2.1.2
     * says clients SHOULD NOT use it (tokens in the front channel leak through history and referrers
     * and cannot be sender-constrained), and code + PKCE covers what it was for. A client that needs
     * it (an old SPA, or express-openid-connect's default response_type id_token) asks for it in
     * grant_types; response types with token or id_token from /authorize need it.
     */
    private static List<String> defaultGrantTypes(AppType type) {
        return switch (type) {
            case NON_INTERACTIVE -> List.of("client_credentials");
            case REGULAR_WEB -> List.of("authorization_code", "refresh_token", "client_credentials");
            case SPA, NATIVE -> List.of("authorization_code", "refresh_token");
        };
    }

    private static String newSecret() {
        return RandomStrings.clientSecret();
    }

    private ClientSecret seal(String secret) {
        return new ClientSecret(SecretHash.of(secret), masterKey.seal(secret, SECRET_PURPOSE));
    }

    private Client withSecret(Client c, String secret, Instant now) {
        return new Client(c.clientId(), c.name(), c.description(), c.appType(), c.firstParty(), c.system(),
                c.tokenEndpointAuthMethod(), seal(secret), c.grantTypes(), c.callbacks(), c.allowedLogoutUrls(),
                c.webOrigins(), c.allowedOrigins(), c.jwtConfiguration(), c.clientMetadata(), c.createdAt(), now,
                c.refreshToken(), c.ipHeaderTrusted());
    }

    /** Auth0's insufficient_scope answer, naming a few of the scopes the client's secret would give. */
    private static ManagementException beyondReach(String action, List<String> missing) {
        String some = String.join(", ", missing.subList(0, Math.min(3, missing.size())));
        return ManagementException.insufficientScopeFor("Insufficient scope to " + action + " this client's "
                + "secret: it would give " + missing.size() + " scope(s) the caller cannot get itself (" + some
                + (missing.size() > 3 ? ", ..." : "") + ")");
    }

    ObjectNode view(Client client, boolean withSecret) {
        ObjectNode node = head(client);
        if (withSecret && client.secret() != null) {
            node.put("client_secret", secretOf(client));
        }
        return node.setAll(tail(client));
    }

    /** The client's secret in the clear: opened per answer, never kept. */
    private String secretOf(Client client) {
        return masterKey.openString(client.secret().sealed(), SECRET_PURPOSE);
    }

    /** {@link #view} without the secret, the kept properties added, cut where the secret goes. */
    private static ClientJsonCache.Parts parts(Client client, Map<String, Object> keptFields) {
        ObjectNode head = head(client);
        return new ClientJsonCache.Parts(head, KeptFields.with(tail(client), keptFields, head));
    }

    /** The properties an answer has before {@code client_secret}. */
    private static ObjectNode head(Client client) {
        ObjectNode node = Json.object()
                .put("client_id", client.clientId())
                .put("name", client.name());
        if (client.description() != null) {
            node.put("description", client.description());
        }
        return node.put("app_type", client.appType().value())
                .put("is_first_party", client.firstParty())
                .put("oidc_conformant", true)
                .put("global", false)
                .put("token_endpoint_auth_method", client.tokenEndpointAuthMethod().value())
                .put("is_token_endpoint_ip_header_trusted", client.ipHeaderTrusted());
    }

    /** The properties an answer has after {@code client_secret}. */
    private static ObjectNode tail(Client client) {
        ObjectNode node = Json.object();
        strings(node, "grant_types", client.grantTypes());
        strings(node, "callbacks", client.callbacks());
        strings(node, "allowed_logout_urls", client.allowedLogoutUrls());
        strings(node, "web_origins", client.webOrigins());
        strings(node, "allowed_origins", client.allowedOrigins());
        node.putObject("jwt_configuration")
                .put("lifetime_in_seconds", client.jwtConfiguration().lifetimeInSeconds())
                .put("alg", client.jwtConfiguration().alg())
                .put("secret_encoded", client.jwtConfiguration().secretEncoded());
        node.set("refresh_token", RefreshTokenJson.view(client.refreshToken()));
        ObjectNode metadata = node.putObject("client_metadata");
        client.clientMetadata().forEach(metadata::put);
        return node;
    }

    private static void strings(ObjectNode node, String field, List<String> values) {
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }
}
