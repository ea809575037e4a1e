package dev.latchkey.verifier;

import com.nimbusds.jose.shaded.gson.Strictness;
import com.nimbusds.jose.shaded.gson.stream.JsonReader;
import com.nimbusds.jose.shaded.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 7515 §5.2 step 4 and RFC 7519 §7.2 step 3: a header or claims set with duplicate member names must be
 * rejected, since two parsers may each keep a different one. Nimbus refuses duplicates at the top level but
 * keeps the last of a nested pair, so nested objects are walked again here with the streaming reader of the
 * Gson copy that Nimbus ships (no extra dependency, no hand-written JSON parsing).
 */
final class DuplicateMembers {

    private DuplicateMembers() {
    }

    /** True if {@code parsed} (Nimbus's result for {@code json}) has a nested object that may hide duplicates. */
    static boolean worthChecking(Map<String, Object> parsed) {
        for (Object value : parsed.values()) {
            if (holdsObject(value)) {
                return true;
            }
        }
        return false;
    }

    /** True if {@code json} repeats a member name in some object, or is JSON the strict reader refuses. */
    static boolean in(String json) {
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            return walk(reader);
        } catch (IOException | RuntimeException e) {
            return true; // Nimbus read it, the strict reader did not: refuse what two parsers disagree on
        }
    }

    private static boolean holdsObject(Object value) {
        if (value instanceof Map) {
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (holdsObject(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Reads one value; true as soon as an object repeats a member name. */
    private static boolean walk(JsonReader reader) throws IOException {
        JsonToken token = reader.peek();
        if (token == JsonToken.BEGIN_OBJECT) {
            Set<String> names = new HashSet<>();
            reader.beginObject();
            while (reader.hasNext()) {
                if (!names.add(reader.nextName()) || walk(reader)) {
                    return true;
                }
            }
            reader.endObject();
        } else if (token == JsonToken.BEGIN_ARRAY) {
            reader.beginArray();
            while (reader.hasNext()) {
                if (walk(reader)) {
                    return true;
                }
            }
            reader.endArray();
        } else {
            reader.skipValue();
        }
        return false;
    }
}
