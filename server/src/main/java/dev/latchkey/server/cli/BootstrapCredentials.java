package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.http.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bootstrap client's credentials, found as the server finds them: both given (flags or
 * LATCHKEY_BOOTSTRAP_CLIENT_ID/_SECRET), else {@code <data-dir>/bootstrap.json}, which the server
 * writes on its first start. {@code source} says where they came from, for error messages; {@code file} is
 * that file, or null when they were given.
 */
record BootstrapCredentials(String clientId, String clientSecret, String source, Path file) {

    static final String FILE_NAME = "bootstrap.json";

    @Override
    public String toString() {
        return "BootstrapCredentials[" + clientId + " from " + source + "]";
    }

    static BootstrapCredentials load(String givenId, String givenSecret, Path dataDir) {
        boolean hasId = givenId != null && !givenId.isBlank();
        boolean hasSecret = givenSecret != null && !givenSecret.isBlank();
        if (hasId != hasSecret) {
            throw CliException.usage("Set both LATCHKEY_BOOTSTRAP_CLIENT_ID and LATCHKEY_BOOTSTRAP_CLIENT_SECRET "
                    + "(or --bootstrap-client-id and --bootstrap-client-secret), or neither to use "
                    + dataDir.resolve(FILE_NAME));
        }
        if (hasId) {
            return new BootstrapCredentials(givenId.trim(), givenSecret.trim(), "LATCHKEY_BOOTSTRAP_CLIENT_ID/_SECRET",
                    null);
        }
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("No bootstrap credentials: " + file + " does not exist. Run this command from "
                    + "the directory where `./latchkey serve` runs (it writes them there on first start), pass "
                    + "--data-dir, or set LATCHKEY_BOOTSTRAP_CLIENT_ID and LATCHKEY_BOOTSTRAP_CLIENT_SECRET.");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw CliException.usage("Cannot read " + file + ": " + e.getMessage());
        }
        String id = node == null ? "" : node.path("client_id").asText("");
        String secret = node == null ? "" : node.path("client_secret").asText("");
        if (id.isBlank() || secret.isBlank()) {
            throw CliException.usage(file + " has no client_id and client_secret; delete it and restart "
                    + "`./latchkey serve` to write new ones.");
        }
        return new BootstrapCredentials(id, secret, file.toString(), file);
    }
}
