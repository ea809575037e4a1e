package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One of Auth0's Management API request bodies: every top-level property it accepts, with its JSON type
 * (nullable or not, and the values of an enumeration). A body is checked against it as Auth0 does: an
 * unknown property, a wrong type or a value outside an enumeration is a 400 "Payload validation error".
 * The same table is the body's schema in the OpenAPI document ({@link #jsonSchema}).
 *
 * <p>The resources read the properties Latchkey acts on themselves; {@link #kept} checks and answers the
 * others, which are kept as sent and returned ({@code KeptFieldsStore}).
 */
record PayloadSchema(String name, Map<String, Property> properties, Set<String> required) {

    enum Type {
        STRING("string"), BOOLEAN("boolean"), NUMBER("number"), INTEGER("integer"), STRINGS("array"),
        ARRAY("array"), OBJECT("object");

        final String json;

        Type(String json) {
            this.json = json;
        }
    }

    record Property(String name, Type type, boolean nullable, List<String> oneOf) {
    }

    static Builder named(String name) {
        return new Builder(name);
    }

    Set<String> names() {
        return properties.keySet();
    }

    /**
     * Checks the whole body against the schema, and answers the values of the properties not in
     * {@code modelled} (those the resource reads itself), as plain Java values; a null stays (it clears).
     */
    Map<String, Object> kept(JsonBody body, Set<String> modelled) {
        body.allowOnly(names());
        for (String field : required) {
            if (!body.has(field)) {
                throw JsonBody.invalid("Missing required property: " + field, null);
            }
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        for (Property property : properties.values()) {
            JsonNode value = body.node(property.name());
            if (value == null) {
                continue;
            }
            check(property, value);
            if (!modelled.contains(property.name())) {
                kept.put(property.name(), body.plain(property.name()));
            }
        }
        return kept;
    }

    private static void check(Property property, JsonNode value) {
        String field = property.name();
        if (value.isNull()) {
            if (!property.nullable()) {
                throw JsonBody.typeError(field, property.type().json, value);
            }
            return;
        }
        boolean fits = switch (property.type()) {
            case STRING -> value.isTextual();
            case BOOLEAN -> value.isBoolean();
            case NUMBER -> value.isNumber();
            case INTEGER -> value.isIntegralNumber();
            case STRINGS, ARRAY -> value.isArray();
            case OBJECT -> value.isObject();
        };
        if (!fits) {
            throw JsonBody.typeError(field, property.type().json, value);
        }
        if (property.type() == Type.STRINGS) {
            for (int i = 0; i < value.size(); i++) {
                if (!value.get(i).isTextual()) {
                    throw JsonBody.typeError(field + "[" + i + "]", "string", value.get(i));
                }
                checkEnum(property, value.get(i).textValue(), field + "[" + i + "]");
            }
        } else if (property.type() == Type.STRING) {
            checkEnum(property, value.textValue(), field);
        }
    }

    private static void checkEnum(Property property, String value, String field) {
        CleanText.require(value, field, property.oneOf().isEmpty());
        if (!property.oneOf().isEmpty() && !property.oneOf().contains(value)) {
            throw JsonBody.invalid("No enum match for: \"" + value + "\"", field);
        }
    }

    /** The JSON Schema of this body (OpenAPI 3.1 speaks JSON Schema 2020-12). */
    ObjectNode jsonSchema() {
        ObjectNode schema = Json.object().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        for (Property property : properties.values()) {
            props.set(property.name(), propertySchema(property));
        }
        if (!required.isEmpty()) {
            ArrayNode names = schema.putArray("required");
            required.forEach(names::add);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    static ObjectNode propertySchema(Property property) {
        ObjectNode node = Json.object();
        ArrayNode types = Json.MAPPER.createArrayNode().add(property.type().json);
        if (property.nullable()) {
            types.add("null");
        }
        node.set("type", types.size() == 1 ? types.get(0) : types);
        ObjectNode valueSchema = node;
        if (property.type() == Type.STRINGS) {
            valueSchema = node.putObject("items").put("type", "string");
        }
        if (!property.oneOf().isEmpty()) {
            ArrayNode values = valueSchema.putArray("enum");
            property.oneOf().forEach(values::add);
            if (property.nullable() && property.type() != Type.STRINGS) {
                values.addNull();
            }
        }
        return node;
    }

    static final class Builder {
        private final String name;
        private final Map<String, Property> properties = new LinkedHashMap<>();
        private final Set<String> required = new java.util.LinkedHashSet<>();

        private Builder(String name) {
            this.name = name;
        }

        Builder required(String field, Type type) {
            required.add(field);
            return add(field, type, false);
        }

        /** Properties of one type, not nullable. */
        Builder of(Type type, String... fields) {
            Arrays.stream(fields).forEach(field -> add(field, type, false));
            return this;
        }

        /** Properties of one type that may also be null. */
        Builder nullable(Type type, String... fields) {
            Arrays.stream(fields).forEach(field -> add(field, type, true));
            return this;
        }

        Builder oneOf(String field, boolean nullable, String... values) {
            properties.put(field, new Property(field, Type.STRING, nullable, List.of(values)));
            return this;
        }

        Builder allOf(String field, boolean nullable, String... values) {
            properties.put(field, new Property(field, Type.STRINGS, nullable, List.of(values)));
            return this;
        }

        private Builder add(String field, Type type, boolean nullable) {
            properties.put(field, new Property(field, type, nullable, List.of()));
            return this;
        }

        PayloadSchema build() {
            return new PayloadSchema(name, java.util.Collections.unmodifiableMap(properties), Set.copyOf(required));
        }
    }
}
