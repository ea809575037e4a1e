package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.NewUser;
import dev.latchkey.server.identity.Phone;
import dev.latchkey.server.identity.PostalAddress;
import dev.latchkey.server.identity.Identity;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserAccountException;
import dev.latchkey.server.identity.UserAccounts;
import dev.latchkey.server.identity.UserChanges;
import dev.latchkey.server.identity.UserQuery;
import dev.latchkey.server.identity.UserSort;
import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v2/users}, {@code /api/v2/users-by-email} and {@code /api/v2/user-blocks}: users of
 * database connections, in Auth0's JSON.
 */
final class UsersResource {

    /** Auth0 §6: the scope that shows upstream providers' tokens in identities[]. */
    static final String IDP_TOKENS_SCOPE = "read:user_idp_tokens";

    private static final Set<String> CREATE_FIELDS = Set.of("connection", "email", "password", "password_hash",
            "email_verified", "verify_email", "user_id", "name", "given_name", "family_name", "nickname", "picture",
            "user_metadata", "app_metadata", "blocked", "phone_number", "phone_verified", "address");
    private static final Set<String> UPDATE_FIELDS = Set.of("connection", "email", "password", "email_verified",
            "verify_email", "name", "given_name", "family_name", "nickname", "picture", "user_metadata",
            "app_metadata", "blocked", "phone_number", "phone_verified", "address");
    /** OIDC Core §5.1.1 sets no lengths; these bound what a row and a token carry. */
    private static final int MAX_ADDRESS_LINE = 300;
    private static final int MAX_FORMATTED_ADDRESS = 1000;
    private static final int MAX_PHONE_NUMBER = 32;
    private static final Set<String> APP_METADATA_ONLY = Set.of("app_metadata");

    private final UserAccounts accounts;

    UsersResource(UserAccounts accounts) {
        this.accounts = accounts;
    }

    void list(Context ctx, ManagementCaller caller) {
        String engine = ctx.queryParam("search_engine");
        if (engine != null && !engine.equals("v3") && !engine.equals("v2")) {
            // Auth0: v1 is retired; v2 and v3 answer the same queries here.
            throw ManagementException.invalidQuery("Query validation error: 'No enum match for: " + engine
                    + "' on property search_engine (Allowed values: v2, v3).");
        }
        UserQuery query = UserSearchQuery.parse(ctx.queryParam("q"));
        String connection = ctx.queryParam("connection");
        if (connection != null && !connection.isEmpty()) {
            query = new UserQuery.And(List.of(query, new UserQuery.Equals(UserQuery.Column.CONNECTION, connection)));
        }
        UserSort sort = sort(ctx.queryParam("sort"));
        PageRequest page = Paging.request(ctx);
        Fields fields = Fields.of(ctx);
        Page<User> users;
        try {
            users = accounts.list(query, sort, page);
        } catch (UserQuery.Unsupported e) {
            throw UserSearchQuery.invalid(e.getMessage());
        }
        Map<String, List<Identity>> identities = accounts.identities(users.items());
        Paging.write(ctx, "users", page, users, user -> fields.apply(view(user, caller,
                identities.get(user.userId()))));
    }

    void get(Context ctx, ManagementCaller caller) {
        User user = find(ManagementRouter.pathParam(ctx, "id"));
        Json.write(ctx, 200, Fields.of(ctx).apply(view(user, caller, accounts.identities(user))));
    }

    void byEmail(Context ctx, ManagementCaller caller) {
        String email = ctx.queryParam("email");
        if (email == null || email.isBlank()) {
            throw ManagementException.invalidQuery("Query validation error: 'Missing required property: email'.");
        }
        Fields fields = Fields.of(ctx);
        List<User> users = accounts.findByEmail(email);
        Map<String, List<Identity>> identities = accounts.identities(users);
        Json.write(ctx, 200, users.stream().map(user -> fields.apply(view(user, caller,
                identities.get(user.userId())))).toList());
    }

    void create(Context ctx, ManagementCaller caller) {
        JsonBody body = JsonBody.read(ctx);
        body.allowOnly(CREATE_FIELDS);
        body.bool("verify_email"); // accepted for compatibility; Latchkey sends no email
        NewUser request = new NewUser(
                body.requiredString("connection", 128),
                body.string("user_id", 64).map(UsersResource::withoutPrefix).orElse(null),
                body.requiredString("email", 320),
                body.bool("email_verified").orElse(false),
                body.string("password", 1024).orElse(null),
                body.string("password_hash", 200).orElse(null),
                body.string("name", 300).orElse(null),
                body.string("given_name", 150).orElse(null),
                body.string("family_name", 150).orElse(null),
                body.string("nickname", 300).orElse(null),
                picture(body),
                body.freeObject("user_metadata").orElse(null),
                body.freeObject("app_metadata").orElse(null),
                body.bool("blocked").orElse(false),
                body.string("phone_number", MAX_PHONE_NUMBER).map(number ->
                        new Phone(number, body.bool("phone_verified").orElse(false))).orElse(null),
                address(body));
        if (request.phone() == null && body.bool("phone_verified").isPresent()) {
            throw JsonBody.invalid("phone_verified needs a phone_number", "phone_verified");
        }
        User user;
        try {
            user = accounts.create(request);
        } catch (UserAccountException e) {
            throw translate(e);
        }
        Json.write(ctx, 201, view(user));
    }

    void update(Context ctx, ManagementCaller caller) {
        User existing = find(ManagementRouter.pathParam(ctx, "id"));
        JsonBody body = JsonBody.read(ctx);
        body.allowOnly(UPDATE_FIELDS);
        if (!caller.hasAny(Set.of("update:users"))) {
            // Auth0: update:users_app_metadata alone may change app_metadata and nothing else.
            List<String> others = new ArrayList<>(UPDATE_FIELDS);
            others.removeIf(field -> APP_METADATA_ONLY.contains(field) || !body.has(field));
            if (!others.isEmpty()) {
                throw ManagementException.insufficientScope("update:users");
            }
        }
        body.bool("verify_email");
        body.string("connection", 128).ifPresent(connection -> {
            if (!connection.equals(existing.connection())) {
                throw JsonBody.invalid("The user belongs to the connection " + existing.connection(), "connection");
            }
        });
        UserChanges changes = new UserChanges(
                body.string("email", 320).orElse(null),
                body.bool("email_verified").orElse(null),
                body.string("password", 1024).orElse(null),
                body.string("name", 300).orElse(null),
                body.string("given_name", 150).orElse(null),
                body.string("family_name", 150).orElse(null),
                body.string("nickname", 300).orElse(null),
                picture(body),
                body.freeObject("user_metadata").orElse(null),
                body.freeObject("app_metadata").orElse(null),
                body.bool("blocked").orElse(null),
                body.string("phone_number", MAX_PHONE_NUMBER).orElse(null),
                body.bool("phone_verified").orElse(null),
                address(body));
        try {
            User updated = accounts.update(existing.userId(), changes);
            Json.write(ctx, 200, view(updated, caller, accounts.identities(updated)));
        } catch (UserAccountException e) {
            throw translate(e);
        }
    }

    void delete(Context ctx, ManagementCaller caller) {
        // Auth0 answers 204 whether or not the user existed.
        accounts.delete(ManagementRouter.pathParam(ctx, "id"));
        ctx.status(204);
    }

    /** {@code GET /api/v2/user-blocks/{id}}: the IPs brute-force protection blocks for the user. */
    void blocks(Context ctx, ManagementCaller caller) {
        User user = find(ManagementRouter.pathParam(ctx, "id"));
        ObjectNode body = Json.object();
        var blockedFor = body.putArray("blocked_for");
        accounts.blockedIps(user).forEach(ip -> blockedFor.addObject()
                .put("identifier", user.email()).put("ip", ip).put("connection", user.connection()));
        Json.write(ctx, 200, body);
    }

    /** {@code DELETE /api/v2/user-blocks/{id}}: lifts them. */
    void unblock(Context ctx, ManagementCaller caller) {
        accounts.unblock(find(ManagementRouter.pathParam(ctx, "id")));
        ctx.status(204);
    }

    /** {@code GET /api/v2/user-blocks?identifier=}: blocks by email, in every database connection. */
    void blocksByIdentifier(Context ctx, ManagementCaller caller) {
        String identifier = identifier(ctx);
        ObjectNode body = Json.object();
        var blockedFor = body.putArray("blocked_for");
        accounts.blocksByIdentifier(identifier).forEach(b -> blockedFor.addObject()
                .put("identifier", b.identifier()).put("ip", b.ip()).put("connection", b.connection()));
        Json.write(ctx, 200, body);
    }

    void unblockByIdentifier(Context ctx, ManagementCaller caller) {
        accounts.unblockByIdentifier(identifier(ctx));
        ctx.status(204);
    }

    private static String identifier(Context ctx) {
        String identifier = ctx.queryParam("identifier");
        if (identifier == null || identifier.isBlank()) {
            throw ManagementException.invalidQuery("Query validation error: 'Missing required property: identifier'.");
        }
        return identifier;
    }

    private User find(String userId) {
        return accounts.find(userId).orElseThrow(() ->
                ManagementException.notFound("The user does not exist.", "inexistent_user"));
    }

    private static String picture(JsonBody body) {
        return body.string("picture", 2000).map(url -> {
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                throw JsonBody.invalid("Object didn't pass validation for format url: " + url, "picture");
            }
            return url;
        }).orElse(null);
    }

    /**
     * {@code address}: an object of OIDC Core §5.1.1 members, all strings (an Auth0 user has no such
     * property; Latchkey adds it for the address scope).
     */
    private static PostalAddress address(JsonBody body) {
        return body.object("address").map(object -> {
            object.allowOnly(PostalAddress.MEMBERS);
            return new PostalAddress(
                    object.multiLine("formatted", MAX_FORMATTED_ADDRESS).orElse(null),
                    object.multiLine("street_address", MAX_FORMATTED_ADDRESS).orElse(null),
                    object.string("locality", MAX_ADDRESS_LINE).orElse(null),
                    object.string("region", MAX_ADDRESS_LINE).orElse(null),
                    object.string("postal_code", MAX_ADDRESS_LINE).orElse(null),
                    object.string("country", MAX_ADDRESS_LINE).orElse(null));
        }).orElse(null);
    }

    private static String withoutPrefix(String userId) {
        return userId.startsWith(User.ID_PREFIX) ? userId.substring(User.ID_PREFIX.length()) : userId;
    }

    private static ManagementException translate(UserAccountException e) {
        return switch (e.problem()) {
            case INVALID -> ManagementException.badRequest(e.getMessage());
            case WEAK_PASSWORD -> ManagementException.badRequest(e.getMessage());
            case UNKNOWN_CONNECTION -> new ManagementException(400, e.getMessage(), "inexistent_connection");
            // Auth0 answers a taken email with 409 and this errorCode.
            case DUPLICATE -> ManagementException.conflict(e.getMessage(), "auth0_idp_error");
            case NOT_FOUND -> ManagementException.notFound(e.getMessage(), "inexistent_user");
            // Auth0 answers rate limits with 429 too_many_requests.
            case BUSY -> new ManagementException(429, e.getMessage(), "too_many_requests");
        };
    }

    /** Auth0's {@code sort=field:1} (ascending) or {@code field:-1}. */
    static UserSort sort(String sort) {
        if (sort == null || sort.isEmpty()) {
            return UserSort.DEFAULT;
        }
        String[] parts = sort.split(":", -1);
        if (parts.length != 2 || !(parts[1].equals("1") || parts[1].equals("-1"))) {
            throw ManagementException.invalidQuery("Query validation error: 'String does not match pattern "
                    + "^(([a-zA-Z0-9_\\.]+))\\:(1|-1)$' on property sort.");
        }
        UserSort.Field field = Arrays.stream(UserSort.Field.values())
                .filter(f -> f.column().equals(parts[0])).findFirst()
                .orElseThrow(() -> ManagementException.invalidQuery("Query validation error: 'Cannot sort by "
                        + parts[0] + "' on property sort."));
        return new UserSort(field, parts[1].equals("1"));
    }

    /**
     * The user with all their identities, their own first, then those linked into them (Auth0 {@code identities[]}).
     * Auth0 §6: an upstream provider's tokens appear only for a caller holding {@code read:user_idp_tokens}, and
     * only for a client calling for itself (a confidential client's credentials), never for a token issued to a
     * user.
     */
    private ObjectNode view(User user, ManagementCaller caller, List<Identity> identities) {
        ObjectNode node = view(user);
        boolean tokens = caller.isClient() && caller.scopes().contains(IDP_TOKENS_SCOPE);
        ArrayNode array = node.putArray("identities");
        identities.forEach(identity -> array.add(identityView(identity, tokens)));
        return node;
    }

    /**
     * One element of Auth0's {@code identities[]}. A database user's own identity has no {@code profileData} (the
     * user holds it); every other carries the attributes its provider (or the linked user) gave.
     */
    static ObjectNode identityView(Identity identity, boolean tokens) {
        ObjectNode element = Json.object()
                .put("provider", identity.provider())
                .put("user_id", identity.idWithinProvider())
                .put("connection", identity.connection())
                .put("isSocial", identity.social());
        if (tokens) {
            Views.putIfPresent(element, "access_token", identity.accessToken());
            Views.putIfPresent(element, "refresh_token", identity.refreshToken());
            if (identity.expiresIn() != null) {
                element.put("expires_in", identity.expiresIn());
            }
        }
        if (!identity.isMainOf(identity.userId()) || !Identity.DATABASE_PROVIDER.equals(identity.provider())) {
            element.set("profileData", Json.MAPPER.valueToTree(identity.profileData()));
        }
        return element;
    }

    static ObjectNode view(User user) {
        ObjectNode node = Json.object()
                .put("user_id", user.userId())
                .put("email", user.email())
                .put("email_verified", user.emailVerified());
        Views.putIfPresent(node, "name", user.name());
        Views.putIfPresent(node, "given_name", user.givenName());
        Views.putIfPresent(node, "family_name", user.familyName());
        Views.putIfPresent(node, "nickname", user.nickname());
        Views.putIfPresent(node, "picture", user.picture());
        if (user.phone() != null) {
            node.put("phone_number", user.phone().number());
            node.put("phone_verified", user.phone().verified());
        }
        if (user.address() != null) {
            node.set("address", Json.MAPPER.valueToTree(user.address().members()));
        }
        node.set("user_metadata", Json.MAPPER.valueToTree(user.userMetadata()));
        node.set("app_metadata", Json.MAPPER.valueToTree(user.appMetadata()));
        node.putArray("identities").add(identityView(Identity.databaseIdentityOf(user), false));
        node.put("created_at", Views.time(user.createdAt()));
        node.put("updated_at", Views.time(user.updatedAt()));
        Views.putIfPresent(node, "last_login", Views.time(user.lastLogin()));
        node.put("logins_count", user.loginsCount());
        node.put("blocked", user.blocked());
        return node;
    }

    /** Auth0's {@code fields} and {@code include_fields}: keep (or drop) the named properties. */
    record Fields(Set<String> names, boolean include) {

        static Fields of(Context ctx) {
            String fields = ctx.queryParam("fields");
            String include = ctx.queryParam("include_fields");
            if (include != null && !include.equals("true") && !include.equals("false")) {
                throw ManagementException.invalidQuery("Query validation error: 'Expected type boolean but found "
                        + "type string' on property include_fields.");
            }
            if (fields == null || fields.isBlank()) {
                return new Fields(Set.of(), false);
            }
            return new Fields(Set.copyOf(Arrays.asList(fields.split(","))), !"false".equals(include));
        }

        ObjectNode apply(ObjectNode node) {
            if (names.isEmpty()) {
                return node;
            }
            List<String> remove = new ArrayList<>();
            node.fieldNames().forEachRemaining(name -> {
                if (names.contains(name) != include) {
                    remove.add(name);
                }
            });
            node.remove(remove);
            return node;
        }
    }
}
