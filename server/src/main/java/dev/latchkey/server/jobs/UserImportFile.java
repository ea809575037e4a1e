package dev.latchkey.server.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ObjIntConsumer;

/**
 * Auth0's users file, a JSON array of user objects, read as a stream: one user in memory at a time,
 * whatever the size of the file. Strings, nesting and the size of one user are bounded so that a
 * single entry cannot exhaust the heap either.
 */
final class UserImportFile {

    /** A user entry larger than this (as text) is refused whole, the file as malformed. */
    static final int MAX_STRING = 100_000;
    static final int MAX_DEPTH = 32;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_STRING).maxNestingDepth(MAX_DEPTH).maxNumberLength(100).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private UserImportFile() {
    }

    /** The file is not a JSON array (of anything): the whole import is refused. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads the whole file once for its syntax and counts its entries; throws {@link Malformed}. */
    static long check(Path file) throws IOException {
        long[] count = {0};
        read(file, (entry, index) -> count[0]++, true);
        return count[0];
    }

    /** Hands each entry of the array to {@code each}, with its index; throws {@link Malformed}. */
    static void read(Path file, ObjIntConsumer<JsonNode> each) throws IOException {
        read(file, each, false);
    }

    private static void read(Path file, ObjIntConsumer<JsonNode> each, boolean skip) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser parser = FACTORY.createParser(in)) {
            parser.setCodec(MAPPER);
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new Malformed("The users file must be a JSON array of user objects");
            }
            int index = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new Malformed("The users file ends before its array is closed");
                }
                if (skip) {
                    parser.skipChildren();
                    each.accept(null, index++);
                } else {
                    each.accept(parser.readValueAsTree(), index++);
                }
            }
            if (parser.nextToken() != null) {
                throw new Malformed("The users file has content after its array");
            }
        } catch (JsonProcessingException e) {
            throw new Malformed("The users file is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
    }
}
