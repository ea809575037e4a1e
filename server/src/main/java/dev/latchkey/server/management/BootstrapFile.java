package dev.latchkey.server.management;

import dev.latchkey.server.http.Json;
import dev.latchkey.server.keys.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <dataDir>/bootstrap.json}, where the bootstrap client's credentials live when the environment does
 * not give them. The server re-applies the configured secret at every start, so a rotated bootstrap secret
 * must land where it is configured, or the next start would bring the old one back: into this file when the
 * secret came from it. A secret from {@code LATCHKEY_BOOTSTRAP_CLIENT_SECRET} cannot be changed from here;
 * it is rotated by setting a new value and restarting.
 */
public final class BootstrapFile {

    private final ManagementBootstrap.Credentials credentials;

    public BootstrapFile(ManagementBootstrap.Credentials credentials) {
        this.credentials = credentials;
    }

    /** Writes {@code secret} for {@code clientId} before the database takes it; refuses where it cannot. */
    void keep(String clientId, String secret) {
        if (!clientId.equals(credentials.clientId())) {
            return; // a former bootstrap client: nothing configures it any more
        }
        if (credentials.file() == null) {
            throw ManagementException.forbidden("The bootstrap client's secret comes from "
                    + "LATCHKEY_BOOTSTRAP_CLIENT_SECRET: set a new value (32 characters or more) and restart the "
                    + "server to rotate it");
        }
        try {
            write(credentials.file(), clientId, secret);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the rotated bootstrap secret to " + credentials.file(), e);
        }
    }

    /** Writes the credentials atomically, readable by the owner only. */
    public static void write(Path file, String clientId, String secret) throws IOException {
        Map<String, String> content = new LinkedHashMap<>();
        content.put("client_id", clientId);
        content.put("client_secret", secret);
        PrivateFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(content) + "\n");
    }
}
