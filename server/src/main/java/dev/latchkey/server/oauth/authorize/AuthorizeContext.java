package dev.latchkey.server.oauth.authorize;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ResourceServer;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code /authorize} request as the checks see it: the raw parameters, and what each check has
 * established so far (the client, the redirect URI, the parsed request, ...). Checks fill it in
 * order; {@link #checked()} freezes it once all have passed.
 */
public final class AuthorizeContext {

    private final Map<String, String> params;
    private final Set<String> repeated;

    Client client;
    String redirectUri;
    boolean redirectUriDefaulted;
    AuthorizationRequest request;
    List<String> responseType;
    String responseMode;
    ResourceServer api;
    List<String> scopes = List.of();
    String nonce;
    String codeChallenge;
    String codeChallengeMethod;
    List<String> prompt = List.of();
    Long maxAge;
    String loginHint;
    /** The subject of a verified id_token_hint; null without one. */
    String hintedSubject;
    List<String> acrValues = List.of();
    /** The connection named by {@code connection}; null without one. */
    dev.latchkey.server.identity.Connection connection;

    public AuthorizeContext(Map<String, String> params, Set<String> repeated) {
        this.params = Map.copyOf(params);
        this.repeated = Set.copyOf(repeated);
    }

    public String param(String name) {
        String value = params.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    Map<String, String> params() {
        return params;
    }

    boolean repeated(String name) {
        return repeated.contains(name);
    }

    Set<String> repeatedNames() {
        return repeated;
    }

    public String hintedSubject() {
        return hintedSubject;
    }

    /** The connection the request names ({@code connection=}), checked; null without one. */
    public dev.latchkey.server.identity.Connection connection() {
        return connection;
    }

    public Client client() {
        return client;
    }

    public ResourceServer api() {
        return api;
    }

    /** True once the client and redirect URI are valid: errors may then go to the client. */
    public boolean redirectable() {
        return client != null && redirectUri != null;
    }

    public String redirectUri() {
        return redirectUri;
    }

    /**
     * The state to echo, as the client sent it (RFC 6749 §4.1.2.1: also on errors), unless it is
     * too long to be accepted ({@link StateCheck}).
     */
    public String state() {
        String state = param("state");
        return state == null || state.length() > StateCheck.MAX_LENGTH ? null : state;
    }

    /**
     * The mode an error goes back on: the checked one, else the requested one when it is known
     * and safe, else the default of the requested response type (Multiple Response Types §2.1).
     */
    public String errorResponseMode() {
        if (responseMode != null) {
            return responseMode;
        }
        String type = param("response_type");
        boolean tokens = type != null && (type.contains("token"));
        String requested = param("response_mode");
        // web_message is used only once checked: it posts to an origin the client must allow.
        if (requested != null && !requested.equals("web_message") && ResponseModeCheck.MODES.contains(requested)
                && !(tokens && requested.equals("query"))) {
            return requested;
        }
        return tokens ? "fragment" : "query";
    }

    CheckedAuthorization checked() {
        return new CheckedAuthorization(client.clientId(), redirectUri, responseType, responseMode, state(), nonce,
                scopes, api == null ? null : api.identifier(), codeChallenge, codeChallengeMethod, prompt, maxAge,
                loginHint, acrValues, redirectUriDefaulted);
    }
}
