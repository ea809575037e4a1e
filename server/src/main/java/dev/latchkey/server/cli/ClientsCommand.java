package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.management.BootstrapFile;
import dev.latchkey.server.registry.AppType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code latchkey clients}: applications (Auth0 clients) that ask for tokens. */
@Command(name = "clients", mixinStandardHelpOptions = true,
        description = "Create, list and delete clients (applications), and rotate their secrets.",
        subcommands = {ClientsCommand.Create.class, ClientsCommand.ListAll.class, ClientsCommand.Delete.class,
                ClientsCommand.RotateSecret.class})
public final class ClientsCommand extends CommandGroup {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Register a client; prints its client_id and client_secret.")
    static final class Create extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "A readable name.")
        String name;

        @Option(names = "--type", paramLabel = "TYPE", converter = Choices.AppTypes.class,
                completionCandidates = Choices.AppTypes.class, defaultValue = "non_interactive",
                description = "Application type: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}, "
                        + "a machine-to-machine client).")
        AppType type;

        @Option(names = "--callback", paramLabel = "URL",
                description = "An allowed redirect URL after login; repeatable.")
        List<String> callbacks = new ArrayList<>();

        @Option(names = "--logout-url", paramLabel = "URL",
                description = "An allowed URL to return to after logout; repeatable.")
        List<String> logoutUrls = new ArrayList<>();

        @Option(names = "--grant-type", paramLabel = "TYPE",
                description = "A grant the client may use, by its Auth0 name (authorization_code, refresh_token, "
                        + "client_credentials, password, http://auth0.com/oauth/grant-type/password-realm, ...); "
                        + "repeatable. Default: those of the application type.")
        List<String> grantTypes = new ArrayList<>();

        @Override
        int run(Output output) {
            if (name.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--name must not be empty");
            }
            ObjectNode body = Json.object().put("name", name).put("app_type", type.value());
            ArrayNode urls = body.putArray("callbacks");
            for (String callback : callbacks) {
                urls.add(absoluteUrl("--callback", callback));
            }
            if (!logoutUrls.isEmpty()) {
                ArrayNode logout = body.putArray("allowed_logout_urls");
                for (String url : logoutUrls) {
                    logout.add(absoluteUrl("--logout-url", url));
                }
            }
            if (!grantTypes.isEmpty()) {
                ArrayNode grants = body.putArray("grant_types");
                grantTypes.forEach(grants::add);
            }
            JsonNode client = ManagementClient.connect(issuer, bootstrap).post("clients", body);
            if (output.json()) {
                output.printJson(client);
                return 0;
            }
            String clientId = client.path("client_id").asText();
            output.line("Created client \"" + client.path("name").asText() + "\" (" + client.path("app_type").asText() + ")");
            List<String[]> fields = new ArrayList<>();
            fields.add(new String[] {"client_id", clientId});
            if (client.hasNonNull("client_secret")) {
                fields.add(new String[] {"client_secret", client.path("client_secret").asText()});
            }
            fields.add(new String[] {"grant types", Output.words(client.path("grant_types"))});
            if (!callbacks.isEmpty()) {
                fields.add(new String[] {"callbacks", Output.words(client.path("callbacks"))});
            }
            if (!logoutUrls.isEmpty()) {
                fields.add(new String[] {"logout URLs", Output.words(client.path("allowed_logout_urls"))});
            }
            output.fields(fields);
            if (client.hasNonNull("client_secret")) {
                output.note("Keep the client secret private.");
            }
            output.note("Next: allow it an API with `./latchkey grants create --client-id " + clientId
                    + " --audience <API identifier>`.");
            return 0;
        }

        private String absoluteUrl(String option, String value) {
            try {
                if (new URI(value).isAbsolute()) {
                    return value;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new ParameterException(spec.commandLine(),
                    option + " '" + value + "' is not an absolute URL, e.g. https://app.example.com/callback");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the clients (without secrets).")
    static final class ListAll extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Override
        int run(Output output) {
            ArrayNode clients = ManagementClient.connect(issuer, bootstrap).list("clients", null);
            if (output.json()) {
                output.printJson(clients);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode client : clients) {
                rows.add(List.of(client.path("client_id").asText(), client.path("name").asText(),
                        client.path("app_type").asText(), Output.words(client.path("grant_types"))));
            }
            output.table(List.of("CLIENT_ID", "NAME", "TYPE", "GRANT TYPES"), rows);
            return 0;
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            description = {"Give a client a new secret and print it; the old one stops working at once.",
                    "Works for the bootstrap client too: the server writes the new secret to its bootstrap.json, "
                            + "and so does this command to the bootstrap.json it read. A bootstrap secret set by "
                            + "LATCHKEY_BOOTSTRAP_CLIENT_SECRET is rotated by setting a new value and restarting."})
    static final class RotateSecret extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Parameters(paramLabel = "CLIENT_ID", description = "The client's client_id.")
        String clientId;

        @Override
        int run(Output output) {
            BootstrapCredentials credentials = bootstrap.credentials();
            JsonNode client = ManagementClient.connect(issuer, bootstrap)
                    .post("clients/" + ManagementClient.segment(clientId) + "/rotate-secret", null);
            String secret = client.path("client_secret").asText();
            if (output.json()) {
                output.printJson(client);
            } else {
                output.line("Rotated the secret of client \"" + client.path("name").asText() + "\"");
                output.fields(List.of(new String[] {"client_id", clientId}, new String[] {"client_secret", secret}));
                output.note("The old secret no longer works; keep the new one private.");
            }
            if (clientId.equals(credentials.clientId()) && credentials.file() != null) {
                keep(credentials.file(), secret, output);
            }
            return 0;
        }

        /** The bootstrap client's new secret, into the file this command read it from (the server wrote its own). */
        private void keep(Path file, String secret, Output output) {
            try {
                BootstrapFile.write(file, clientId, secret);
            } catch (IOException e) {
                throw CliException.failed("The secret was rotated (printed above), but " + file
                        + " could not be written: " + e.getMessage());
            }
            output.note("Wrote the new bootstrap secret to " + file + ".");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a client.")
    static final class Delete extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Parameters(paramLabel = "CLIENT_ID", description = "The client's client_id.")
        String clientId;

        @Override
        int run(Output output) {
            if (!ManagementClient.connect(issuer, bootstrap).deleteIfPresent("clients/" + ManagementClient.segment(clientId))) {
                throw CliException.failed("No client has the client_id " + clientId
                        + ". `./latchkey clients list` shows them.");
            }
            output.deleted("client", "client_id", clientId);
            return 0;
        }
    }
}
