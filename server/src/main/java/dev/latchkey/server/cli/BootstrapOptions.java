package dev.latchkey.server.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the bootstrap client's credentials are: flags or environment, else the data directory. */
final class BootstrapOptions {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:LATCHKEY_DATA_DIR:-./data}",
            description = "The server's data directory, holding bootstrap.json (LATCHKEY_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--bootstrap-client-id", paramLabel = "ID", defaultValue = "${env:LATCHKEY_BOOTSTRAP_CLIENT_ID}",
            description = "Client id of the bootstrap client (LATCHKEY_BOOTSTRAP_CLIENT_ID; default from bootstrap.json).")
    String clientId;

    @Option(names = "--bootstrap-client-secret", paramLabel = "SECRET",
            defaultValue = "${env:LATCHKEY_BOOTSTRAP_CLIENT_SECRET}",
            description = "Its secret (LATCHKEY_BOOTSTRAP_CLIENT_SECRET; default from bootstrap.json).")
    String clientSecret;

    BootstrapCredentials credentials() {
        return BootstrapCredentials.load(clientId, clientSecret, dataDir);
    }
}
