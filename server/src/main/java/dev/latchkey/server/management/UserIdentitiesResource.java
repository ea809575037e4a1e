package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.AccountLinkException;
import dev.latchkey.server.identity.AccountLinking;
import dev.latchkey.server.identity.Identity;
import dev.latchkey.server.token.InvalidTokenException;
import dev.latchkey.server.token.OwnTokens;
import io.javalin.http.Context;

import java.util.List;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;

// Rules: POST /api/v2/users/{id}/identities (Auth0 "Link a user account"), in this order:
//        1. the body holds link_with alone, or provider and user_id (connection_id optional), never both forms;
//        2. with update:users any primary; with update:current_user_identities alone only the user the token
//           was issued to, and only with link_with (Auth0);
//        3. link_with is an ID token issued here, RS256, unexpired, whose aud is the calling token's azp (Auth0);
//           its sub is the secondary; and, beyond Auth0, from a login of the last LINK_WITH_MAX_AGE (auth_time,
//           else iat), and, for a user's own token (update:current_user_identities), to a first-party client:
//           every client receives its users' ID tokens, so a third-party one holding its own user's token could
//           otherwise link any recent user of it into an account it controls (account takeover);
//        4. AccountLinking's checks (primary, secondary, not itself, not blocked, no identities linked into it).
//        Answers 201 with the primary's identities. DELETE .../identities/{provider}/{user_id} (Auth0 "Unlink a
//        user identity") takes the same two scopes, answers 200 with the remaining identities.
final class UserIdentitiesResource {

    static final String ADMIN_SCOPE = "update:users";
    static final String CURRENT_USER_SCOPE = "update:current_user_identities";
    private static final Set<String> FIELDS = Set.of("provider", "user_id", "connection_id", "link_with");
    /** Our longest user id (an upstream user's, V15). */
    private static final int MAX_USER_ID = 512;
    private static final int MAX_PROVIDER = 64;

    /** How recent the login behind a link_with ID token must be. */
    static final Duration LINK_WITH_MAX_AGE = Duration.ofMinutes(10);

    private final AccountLinking linking;
    private final OwnTokens tokens;
    private final Predicate<String> firstParty;
    private final Clock clock;

    UserIdentitiesResource(AccountLinking linking, OwnTokens tokens, Predicate<String> firstParty, Clock clock) {
        this.linking = linking;
        this.tokens = tokens;
        this.firstParty = firstParty;
        this.clock = clock;
    }

    void link(Context ctx, ManagementCaller caller) {
        String primaryId = ManagementRouter.pathParam(ctx, "id");
        JsonBody body = JsonBody.read(ctx);
        body.allowOnly(FIELDS);
        String linkWith = body.string("link_with", OwnTokens.MAX_TOKEN_LENGTH).orElse(null);
        boolean byId = body.has("provider") || body.has("user_id") || body.has("connection_id");
        if (linkWith != null && byId) {
            throw JsonBody.invalid("link_with cannot be sent with provider, user_id or connection_id", "link_with");
        }
        if (linkWith == null && !byId) {
            throw JsonBody.invalid("Missing required property: link_with, or provider and user_id", null);
        }
        requireOwnUser(caller, primaryId);
        if (!CleanText.lookable(primaryId, MAX_USER_ID)) {
            throw ManagementException.notFound("The user does not exist.", "inexistent_user");
        }
        String secondaryId;
        try {
            if (linkWith != null) {
                secondaryId = secondaryOf(linkWith, caller);
            } else {
                if (!caller.hasAny(Set.of(ADMIN_SCOPE))) {
                    throw ManagementException.insufficientScopeFor(
                            "Linking by provider and user_id needs " + ADMIN_SCOPE + "; send link_with instead");
                }
                secondaryId = linking.secondaryId(body.requiredString("provider", MAX_PROVIDER), userId(body),
                        body.string("connection_id", IdList.MAX_ID_LENGTH).orElse(null));
            }
            Json.write(ctx, 201, view(linking.link(primaryId, secondaryId)));
        } catch (AccountLinkException e) {
            throw translate(e);
        }
    }

    void unlink(Context ctx, ManagementCaller caller) {
        String primaryId = ManagementRouter.pathParam(ctx, "id");
        String provider = ManagementRouter.pathParam(ctx, "provider");
        String userId = ManagementRouter.pathParam(ctx, "user_id");
        requireOwnUser(caller, primaryId);
        if (!CleanText.lookable(primaryId, MAX_USER_ID) || !CleanText.lookable(provider, MAX_PROVIDER)
                || !CleanText.lookable(userId, MAX_USER_ID)) {
            throw ManagementException.notFound("The user has no such identity", "inexistent_user");
        }
        try {
            Json.write(ctx, 200, view(linking.unlink(primaryId, provider, userId)));
        } catch (AccountLinkException e) {
            throw translate(e);
        }
    }

    /** Auth0: update:current_user_identities changes only the identities of the user the token was issued to. */
    private static void requireOwnUser(ManagementCaller caller, String primaryId) {
        if (!caller.hasAny(Set.of(ADMIN_SCOPE)) && (caller.isClient() || !primaryId.equals(caller.subject()))) {
            throw ManagementException.insufficientScopeFor(CURRENT_USER_SCOPE
                    + " allows changing only the identities of the user the token was issued to");
        }
    }

    /** Rule 3: the secondary user an ID token names, for the client that calls. */
    private String secondaryOf(String linkWith, ManagementCaller caller) {
        JWTClaimsSet claims;
        try {
            claims = tokens.idToken(linkWith);
        } catch (InvalidTokenException e) {
            throw JsonBody.invalid(switch (e.reason()) {
                case EXPIRED -> "link_with is an expired ID token";
                case WRONG_ISSUER -> "link_with was not issued by this server";
                case BAD_SIGNATURE -> "link_with is not signed by this server's keys";
                case WRONG_AUDIENCE -> "link_with is not an ID token issued to a client of this server";
                default -> "link_with is not an ID token signed with RS256";
            }, "link_with");
        }
        if (caller.clientId() == null || !claims.getAudience().get(0).equals(caller.clientId())) {
            throw JsonBody.invalid("link_with must be an ID token issued to the client calling (its aud must be "
                    + "this token's azp)", "link_with");
        }
        if (!caller.hasAny(Set.of(ADMIN_SCOPE)) && !firstParty.test(caller.clientId())) {
            throw ManagementException.insufficientScopeFor("Only a first-party application may link accounts with "
                    + CURRENT_USER_SCOPE);
        }
        Instant loggedIn = authTime(claims);
        if (loggedIn == null || loggedIn.isBefore(clock.instant().minus(LINK_WITH_MAX_AGE))) {
            throw JsonBody.invalid("link_with must come from a login of the last " + LINK_WITH_MAX_AGE.toMinutes()
                    + " minutes: log the user in to the account to link again", "link_with");
        }
        return claims.getSubject();
    }

    /** When the user logged in for this ID token: auth_time (OIDC Core §2), else when it was issued. */
    private static Instant authTime(JWTClaimsSet claims) {
        try {
            Long authTime = claims.getLongClaim("auth_time");
            if (authTime != null) {
                return Instant.ofEpochSecond(authTime);
            }
        } catch (java.text.ParseException e) {
            return null;
        }
        return claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant();
    }

    /** Auth0's user_id: a string, or a number (its OpenAPI allows both). */
    private static String userId(JsonBody body) {
        JsonNode node = body.node("user_id");
        if (node != null && node.isIntegralNumber()) {
            return node.asText();
        }
        return body.requiredString("user_id", MAX_USER_ID);
    }

    private static ArrayNode view(List<Identity> identities) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        identities.forEach(identity -> array.add(UsersResource.identityView(identity, false)));
        return array;
    }

    private static ManagementException translate(AccountLinkException e) {
        return switch (e.problem()) {
            case PRIMARY_NOT_FOUND, SECONDARY_NOT_FOUND, IDENTITY_NOT_FOUND ->
                    ManagementException.notFound(e.getMessage(), "inexistent_user");
            // Auth0 answers a taken email with 409 and this errorCode.
            case DUPLICATE -> ManagementException.conflict(e.getMessage(), "auth0_idp_error");
            default -> ManagementException.badRequest(e.getMessage());
        };
    }
}
