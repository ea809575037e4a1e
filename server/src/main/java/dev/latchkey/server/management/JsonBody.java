package dev.latchkey.server.management;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Management API request body (JSON object, at most 1 MB as Auth0 allows), read field by field
 * with type checks whose errors name the field, in Auth0's "Payload validation error" words.
 */
final class JsonBody {

    static final int MAX_BYTES = 1024 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final ObjectNode root;

    private JsonBody(ObjectNode root) {
        this.root = root;
    }

    static JsonBody read(Context ctx) {
        return object(parse(ctx));
    }

    /** A body that is an array of objects (e.g. {@code PATCH /connections/{id}/clients}), each read with the same rules. */
    static List<JsonBody> readObjects(Context ctx) {
        JsonNode node = parse(ctx);
        if (node == null || !node.isArray()) {
            throw ManagementException.badRequest("Payload validation error: 'Expected type array' on the body.");
        }
        List<JsonBody> items = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isObject()) {
                throw typeError("[" + items.size() + "]", "object", item);
            }
            items.add(new JsonBody((ObjectNode) item));
        }
        return items;
    }

    private static JsonNode parse(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            throw new ManagementException(415, "Content-Type must be application/json", "unsupported_media_type");
        }
        if (ctx.req().getContentLengthLong() > MAX_BYTES) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw ManagementException.badRequest("The request body could not be read");
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        return node(bytes);
    }

    /** A body already read: a JSON object, else a 400 in Auth0's words. */
    static JsonBody parse(byte[] bytes) {
        return object(node(bytes));
    }

    private static JsonBody object(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw ManagementException.badRequest("Payload validation error: 'Expected type object' on the body.");
        }
        return new JsonBody((ObjectNode) node);
    }

    private static JsonNode node(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ManagementException.badRequest("Invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ManagementException.badRequest("The request body could not be read");
        }
    }

    private static ManagementException tooLarge() {
        return new ManagementException(413, "The request body is larger than 1 MB", "payload_too_large");
    }

    /** Auth0 refuses properties it does not know; so do we, naming them. */
    void allowOnly(Set<String> fields) {
        Set<String> unknown = new TreeSet<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw invalid("Additional properties not allowed: " + String.join(",", unknown), null);
        }
    }

    boolean has(String field) {
        return root.has(field);
    }

    /** The raw value of {@code field}; null when absent (a JSON null is a NullNode). */
    JsonNode node(String field) {
        return root.get(field);
    }

    /**
     * The value of {@code field} as a plain Java value (map, list, string, number, boolean, null), its strings
     * holding no control character but line breaks and tabs at any depth.
     */
    Object plain(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        requireClean(value, field);
        return MAPPER.convertValue(value, Object.class);
    }

    String requiredString(String field, int maxLength) {
        return string(field, maxLength).orElseThrow(() -> invalid("Missing required property: " + field, null));
    }

    /** A one-line string: no control character at all. */
    Optional<String> string(String field, int maxLength) {
        return text(field, maxLength, false);
    }

    /** A string that may hold line breaks and tabs (a description, a street address), no other control character. */
    Optional<String> multiLine(String field, int maxLength) {
        return text(field, maxLength, true);
    }

    private Optional<String> text(String field, int maxLength, boolean multiLine) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw typeError(field, "string", value);
        }
        String text = value.textValue();
        if (text.isEmpty()) {
            throw invalid("String is too short (0 chars), minimum 1", field);
        }
        if (text.length() > maxLength) {
            throw invalid("String is too long (" + text.length() + " chars), maximum " + maxLength, field);
        }
        return Optional.of(CleanText.require(text, field, multiLine));
    }

    Optional<Boolean> bool(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw typeError(field, "boolean", value);
        }
        return Optional.of(value.booleanValue());
    }

    Optional<Integer> integer(String field, int min, int max) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw typeError(field, "integer", value);
        }
        int number = value.intValue();
        if (number < min || number > max) {
            throw invalid("Value " + number + " is out of range; expected " + min + " to " + max, field);
        }
        return Optional.of(number);
    }

    Optional<List<String>> strings(String field, int maxLength) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw typeError(field, "array", value);
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw typeError(field + "[" + items.size() + "]", "string", item);
            }
            if (item.textValue().length() > maxLength) {
                throw invalid("String is too long, maximum " + maxLength, field + "[" + items.size() + "]");
            }
            items.add(CleanText.require(item.textValue(), field + "[" + items.size() + "]", false));
        }
        return Optional.of(items);
    }

    /** An object of string values (Auth0's {@code client_metadata}). */
    Optional<Map<String, String>> stringMap(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw typeError(field, "object", value);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw typeError(field + "." + entry.getKey(), "string", entry.getValue());
            }
            CleanText.require(entry.getKey(), field, false);
            map.put(entry.getKey(), CleanText.require(entry.getValue().textValue(), field + "." + entry.getKey(), true));
        }
        return Optional.of(map);
    }

    /** A free-form object (Auth0's {@code user_metadata}, {@code app_metadata}) as plain Java values. */
    Optional<Map<String, Object>> freeObject(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw typeError(field, "object", value);
        }
        requireClean(value, field);
        Map<String, Object> map = new LinkedHashMap<>();
        value.fields().forEachRemaining(entry -> map.put(entry.getKey(),
                entry.getValue().isNull() ? null : MAPPER.convertValue(entry.getValue(), Object.class)));
        return Optional.of(map);
    }

    /** The whole body as plain values (maps, lists, strings, numbers, booleans, nulls). */
    Map<String, Object> asMap() {
        requireClean(root, null);
        Map<String, Object> map = new LinkedHashMap<>();
        root.fields().forEachRemaining(entry -> map.put(entry.getKey(),
                entry.getValue().isNull() ? null : MAPPER.convertValue(entry.getValue(), Object.class)));
        return map;
    }

    /** A nested object, read with the same rules. */
    Optional<JsonBody> object(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw typeError(field, "object", value);
        }
        return Optional.of(new JsonBody((ObjectNode) value));
    }

    /** An array of objects, each read with the same rules. */
    Optional<List<JsonBody>> objects(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw typeError(field, "array", value);
        }
        List<JsonBody> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isObject()) {
                throw typeError(field + "[" + items.size() + "]", "object", item);
            }
            items.add(new JsonBody((ObjectNode) item));
        }
        return Optional.of(items);
    }

    /**
     * Free-form JSON: names hold no control character, string values none but line breaks and tabs, at
     * any depth (NUL cannot be stored, and the others only spoil what reads the data back).
     */
    private static void requireClean(JsonNode node, String at) {
        if (node.isTextual()) {
            CleanText.require(node.textValue(), at, true);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireClean(node.get(i), (at == null ? "" : at) + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String path = at == null ? entry.getKey() : at + "." + entry.getKey();
                CleanText.require(entry.getKey(), at, false);
                requireClean(entry.getValue(), path);
            }
        }
    }

    static ManagementException invalid(String problem, String field) {
        return ManagementException.badRequest("Payload validation error: '" + problem + "'"
                + (field == null ? "." : " on property " + field + "."));
    }

    static ManagementException typeError(String field, String expected, JsonNode found) {
        return invalid("Expected type " + expected + " but found type " + typeName(found), field);
    }

    private static String typeName(JsonNode node) {
        if (node.isTextual()) {
            return "string";
        }
        if (node.isIntegralNumber()) {
            return "integer";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        if (node.isArray()) {
            return "array";
        }
        return node.isObject() ? "object" : "null";
    }
}
