package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.ClientGrantStore;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.ResourceServerStore;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import dev.latchkey.server.store.DuplicateKeyException;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /api/v2/resource-servers}: the APIs tokens are issued for. */
final class ResourceServersResource {

    /** Auth0 does not document the browser-flow default; 7200 s keeps front-channel tokens short. */
    static final int DEFAULT_TOKEN_LIFETIME_FOR_WEB = 7_200;
    private static final int MIN_SIGNING_SECRET = 32;
    private static final Set<String> CREATE_FIELDS = Set.of("identifier", "name", "scopes", "signing_alg",
            "signing_secret", "allow_offline_access", "skip_consent_for_verifiable_first_party_clients",
            "token_lifetime", "token_lifetime_for_web", "enforce_policies", "token_dialect");
    private static final Set<String> UPDATE_FIELDS = Set.of("name", "scopes", "signing_alg", "signing_secret",
            "allow_offline_access", "skip_consent_for_verifiable_first_party_clients", "token_lifetime",
            "token_lifetime_for_web", "enforce_policies", "token_dialect");
    private static final Set<String> SYSTEM_UPDATE_FIELDS = Set.of("token_lifetime", "token_lifetime_for_web");

    private final ResourceServerStore store;
    private final ClientGrantStore grants;
    private final RegistryLookups lookups;
    private final Clock clock;
    private final String userinfoAudience;
    private final KeptFields kept;

    ResourceServersResource(ResourceServerStore store, ClientGrantStore grants, RegistryLookups lookups, Clock clock,
                            String userinfoAudience, KeptFieldsStore keptStore) {
        this.kept = new KeptFields(keptStore, KeptFieldsStore.RESOURCE_SERVER);
        this.userinfoAudience = userinfoAudience;
        this.store = store;
        this.grants = grants;
        this.lookups = lookups;
        this.clock = clock;
    }

    void list(Context ctx, ManagementCaller caller) {
        PageRequest page = Paging.request(ctx);
        var apis = store.list(page);
        var keptOfAll = kept.ofAll(apis.items(), ResourceServer::id);
        Paging.write(ctx, "resource_servers", page, apis, api -> KeptFields.with(view(api), keptOfAll.get(api.id())));
    }

    void get(Context ctx, ManagementCaller caller) {
        ResourceServer api = find(ManagementRouter.pathParam(ctx, "id"));
        Json.write(ctx, 200, KeptFields.with(view(api), kept.of(api.id())));
    }

    void create(Context ctx, ManagementCaller caller) {
        JsonBody body = JsonBody.read(ctx);
        Map<String, Object> keptFields = ManagementSchemas.RESOURCE_SERVER_CREATE.kept(body, CREATE_FIELDS);
        String identifier = body.requiredString("identifier", RegistryLookups.MAX_API_IDENTIFIER_LENGTH);
        if (identifier.chars().anyMatch(Character::isWhitespace)) {
            throw JsonBody.invalid("The identifier must not contain whitespace", "identifier");
        }
        if (identifier.equals(userinfoAudience)) {
            // Auth0: the /userinfo audience belongs to the server; an API there would mint tokens for it.
            throw JsonBody.invalid("The identifier " + userinfoAudience + " is reserved", "identifier");
        }
        Instant now = clock.instant();
        ResourceServer defaults = new ResourceServer(RandomStrings.hex(24), identifier, identifier, false,
                List.of(), SigningAlgorithm.RS256, null, ResourceServer.DEFAULT_TOKEN_LIFETIME,
                DEFAULT_TOKEN_LIFETIME_FOR_WEB, false, false, false, TokenDialect.ACCESS_TOKEN, now, now);
        ResourceServer api = apply(body, defaults, now);
        try {
            store.create(api);
        } catch (DuplicateKeyException e) {
            throw ManagementException.conflict(e.getMessage(), "operation_not_supported");
        }
        kept.created(api.id(), keptFields);
        lookups.invalidateAll();
        Json.write(ctx, 201, KeptFields.with(view(api), keptFields));
    }

    void update(Context ctx, ManagementCaller caller) {
        ResourceServer existing = find(ManagementRouter.pathParam(ctx, "id"));
        JsonBody body = JsonBody.read(ctx);
        if (existing.system()) {
            if (!SYSTEM_UPDATE_FIELDS.containsAll(fieldsOf(body, ManagementSchemas.RESOURCE_SERVER_UPDATE.names()))) {
                throw ManagementException.forbidden("Only the token lifetimes of the Management API can be changed");
            }
        }
        Map<String, Object> changes = ManagementSchemas.RESOURCE_SERVER_UPDATE.kept(body, UPDATE_FIELDS);
        ResourceServer updated = apply(body, existing, clock.instant());
        store.update(updated);
        Map<String, Object> keptFields = kept.changed(updated.id(), changes);
        lookups.invalidateAll();
        Json.write(ctx, 200, KeptFields.with(view(updated), keptFields));
    }

    void delete(Context ctx, ManagementCaller caller) {
        ResourceServer existing = find(ManagementRouter.pathParam(ctx, "id"));
        if (existing.system()) {
            throw ManagementException.forbidden("The Management API cannot be deleted");
        }
        store.delete(existing.id());
        kept.deleted(existing.id());
        grants.deleteByAudience(existing.identifier());
        lookups.invalidateAll();
        ctx.status(204);
    }

    private ResourceServer find(String id) {
        return store.findById(id).orElseThrow(() ->
                ManagementException.notFound("The resource server does not exist", "inexistent_resource_server"));
    }

    /** Applies the fields present in {@code body} over {@code base}, checking each and the whole. */
    private ResourceServer apply(JsonBody body, ResourceServer base, Instant now) {
        String name = body.string("name", 200).orElse(base.name());
        if (name.contains("<") || name.contains(">")) {
            throw JsonBody.invalid("The name must not contain < or >", "name");
        }
        List<ApiScope> scopes = body.objects("scopes").map(ResourceServersResource::scopes).orElse(base.scopes());
        SigningAlgorithm alg = body.string("signing_alg", 10).map(value -> SigningAlgorithm.parse(value)
                        .orElseThrow(() -> JsonBody.invalid("No enum match for: \"" + value
                                + "\"; expected RS256, PS256 or HS256", "signing_alg")))
                .orElse(base.signingAlg());
        String secret = body.string("signing_secret", 1000).orElse(base.signingSecret());
        if (secret != null && secret.length() < MIN_SIGNING_SECRET) {
            throw JsonBody.invalid("String is too short (" + secret.length() + " chars), minimum "
                    + MIN_SIGNING_SECRET, "signing_secret");
        }
        if (body.has("signing_secret") && !alg.symmetric()) {
            throw JsonBody.invalid("signing_secret is used only with signing_alg HS256", "signing_secret");
        }
        if (alg.symmetric() && secret == null) {
            secret = RandomStrings.base64url(32);
        }
        int lifetime = body.integer("token_lifetime", 1, ResourceServer.MAX_TOKEN_LIFETIME).orElse(base.tokenLifetime());
        int lifetimeForWeb = body.integer("token_lifetime_for_web", 1, ResourceServer.MAX_TOKEN_LIFETIME)
                .orElse(Math.min(base.tokenLifetimeForWeb(), lifetime));
        if (lifetimeForWeb > lifetime) {
            throw JsonBody.invalid("token_lifetime_for_web must not exceed token_lifetime", "token_lifetime_for_web");
        }
        TokenDialect dialect = body.string("token_dialect", 40).map(value -> TokenDialect.parse(value)
                        .orElseThrow(() -> JsonBody.invalid("No enum match for: \"" + value + "\"; expected "
                                + "access_token, access_token_authz, rfc9068_profile or rfc9068_profile_authz",
                                "token_dialect")))
                .orElse(base.tokenDialect());
        return new ResourceServer(base.id(), base.identifier(), name, base.system(), scopes, alg,
                alg.symmetric() ? secret : null, lifetime, lifetimeForWeb,
                body.bool("allow_offline_access").orElse(base.allowOfflineAccess()),
                body.bool("skip_consent_for_verifiable_first_party_clients")
                        .orElse(base.skipConsentForVerifiableFirstPartyClients()),
                body.bool("enforce_policies").orElse(base.enforcePolicies()),
                dialect, base.createdAt(), now);
    }

    private static List<ApiScope> scopes(List<JsonBody> items) {
        List<ApiScope> scopes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonBody item = items.get(i);
            item.allowOnly(Set.of("value", "description"));
            String value = item.requiredString("value", 280);
            if (value.chars().anyMatch(Character::isWhitespace)) {
                throw JsonBody.invalid("A scope value must not contain whitespace", "scopes[" + i + "].value");
            }
            if (!seen.add(value)) {
                throw JsonBody.invalid("Duplicate scope " + value, "scopes[" + i + "].value");
            }
            scopes.add(new ApiScope(value, item.multiLine("description", 500).orElse("")));
        }
        return scopes;
    }

    private static Set<String> fieldsOf(JsonBody body, Set<String> candidates) {
        Set<String> present = new HashSet<>();
        for (String field : candidates) {
            if (body.has(field)) {
                present.add(field);
            }
        }
        return present;
    }

    static ObjectNode view(ResourceServer api) {
        ObjectNode node = Json.object()
                .put("id", api.id())
                .put("name", api.name())
                .put("identifier", api.identifier())
                .put("is_system", api.system());
        ArrayNode scopes = node.putArray("scopes");
        api.scopes().forEach(s -> scopes.addObject().put("value", s.value()).put("description", s.description()));
        node.put("signing_alg", api.signingAlg().name());
        if (api.signingSecret() != null) {
            node.put("signing_secret", api.signingSecret());
        }
        return node
                .put("allow_offline_access", api.allowOfflineAccess())
                .put("skip_consent_for_verifiable_first_party_clients", api.skipConsentForVerifiableFirstPartyClients())
                .put("token_lifetime", api.tokenLifetime())
                .put("token_lifetime_for_web", api.tokenLifetimeForWeb())
                .put("enforce_policies", api.enforcePolicies())
                .put("token_dialect", api.tokenDialect().value());
    }
}
