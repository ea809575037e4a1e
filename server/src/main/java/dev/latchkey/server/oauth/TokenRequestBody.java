package dev.latchkey.server.oauth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.util.URLUtils;

import dev.latchkey.server.http.ControlCharacters;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a token, revocation or introspection body into single-valued parameters. Auth0 accepts form bodies
 * (RFC 6749 §4.1.3) and JSON bodies (what the Auth0 SDKs send); both end up the same map.
 * Repeated parameters are refused (RFC 6749 §3.2), and so are duplicate JSON members.
 */
public final class TokenRequestBody {

    public static final int MAX_BYTES = 1024 * 1024;
    /** How much of a refused body is still read, so that its sender gets the answer. */
    static final int DRAIN_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private TokenRequestBody() {
    }

    /** Reads a request's body (at most {@link #MAX_BYTES}) and parses it ({@link #parse}). */
    public static Map<String, String> read(Context ctx) {
        return parse(ctx.header("Content-Type"), body(ctx));
    }

    private static byte[] body(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            if (ctx.req().getContentLengthLong() > MAX_BYTES) {
                drain(in);
                throw tooLarge();
            }
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) {
                drain(in);
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw OAuthException.invalidRequest("The request body could not be read");
        }
    }

    /**
     * Reads and drops the rest of a refused body, up to {@link #DRAIN_BYTES}: a connection closed with
     * unread bytes is reset, and the client then sees no answer at all instead of the 400.
     */
    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        long dropped = 0;
        int read;
        while (dropped < DRAIN_BYTES && (read = in.read(buffer)) >= 0) {
            dropped += read;
        }
    }

    private static OAuthException tooLarge() {
        return OAuthException.invalidRequest("The request body is larger than 1 MB");
    }

    /**
     * The parameters of a body of {@code contentType}, or an {@link OAuthException}; parameters holding
     * control characters are refused here, before anything reaches a lookup or the database.
     */
    public static Map<String, String> parse(String contentType, byte[] body) {
        Map<String, String> params = byMediaType(contentType, body);
        for (Map.Entry<String, String> param : params.entrySet()) {
            if (ControlCharacters.in(param.getKey(), false) || ControlCharacters.in(param.getValue(), false)) {
                throw OAuthException.invalidRequest("Parameter '" + TokenRequest.echo(param.getKey())
                        + "' contains control characters");
            }
        }
        return params;
    }

    private static Map<String, String> byMediaType(String contentType, byte[] body) {
        String mediaType = mediaType(contentType);
        if ("application/x-www-form-urlencoded".equals(mediaType)) {
            return form(new String(body, StandardCharsets.UTF_8));
        }
        if ("application/json".equals(mediaType)) {
            return json(body);
        }
        throw OAuthException.invalidRequest(contentType == null || contentType.isBlank()
                ? "Missing Content-Type: send application/x-www-form-urlencoded or application/json"
                : "Unsupported Content-Type '" + contentType
                        + "': send application/x-www-form-urlencoded or application/json");
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
    }

    private static Map<String, String> form(String body) {
        Map<String, List<String>> parsed;
        try {
            parsed = URLUtils.parseParameters(body);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("The form body is not valid application/x-www-form-urlencoded");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : parsed.entrySet()) {
            if (entry.getValue().size() > 1) {
                throw OAuthException.invalidRequest("Parameter '" + entry.getKey() + "' is repeated");
            }
            params.put(entry.getKey(), entry.getValue().isEmpty() ? "" : entry.getValue().get(0));
        }
        return params;
    }

    private static Map<String, String> json(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            throw OAuthException.invalidRequest("The JSON body is malformed: " + reason);
        } catch (java.io.IOException e) {
            throw OAuthException.invalidRequest("The JSON body cannot be read");
        }
        if (root == null || !root.isObject()) {
            throw OAuthException.invalidRequest("The JSON body must be an object of parameters");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            params.put(field.getKey(), jsonValue(field.getKey(), value));
        }
        return params;
    }

    private static String jsonValue(String name, JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        // Auth0: "Scope must be an array or a string".
        if ("scope".equals(name) && value.isArray()) {
            List<String> scopes = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw OAuthException.invalidScope("Scope must be an array of strings or a string");
                }
                scopes.add(item.textValue());
            }
            return String.join(" ", scopes);
        }
        throw OAuthException.invalidRequest("Parameter '" + name + "' must be a string");
    }
}
