package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code latchkey token}: a client-credentials access token (RFC 6749 §4.4). The token alone goes to
 * standard output, so that {@code TOKEN=$(./latchkey token ...)} works; what it grants goes to
 * standard error.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Get an access token with the client-credentials grant.",
                "Without --client-id/--client-secret it uses the bootstrap client; without --audience it asks for "
                        + "the Management API (<issuer>api/v2/)."})
public final class TokenCommand extends AdminCommand {

    @Mixin IssuerOption issuer;
    @Mixin BootstrapOptions bootstrap;

    @Option(names = "--client-id", paramLabel = "ID", description = "The client (default: the bootstrap client).")
    String clientId;

    @Option(names = "--client-secret", paramLabel = "SECRET", description = "Its secret; required with --client-id.")
    String clientSecret;

    @Option(names = "--audience", paramLabel = "URL",
            description = "The API identifier the token is for (default: the Management API).")
    String audience;

    @Option(names = "--scope", paramLabel = "\"A B\"",
            description = "Space-separated scopes (default: every scope the client was granted).")
    String scope;

    @Override
    int run(Output output) {
        if ((clientId == null) != (clientSecret == null)) {
            throw new ParameterException(spec.commandLine(), "Give --client-id and --client-secret together, "
                    + "or neither to use the bootstrap client");
        }
        IssuerConnection connection = new IssuerConnection(issuer.issuer());
        String id = clientId;
        String secret = clientSecret;
        String whose = "client " + clientId;
        if (id == null) {
            BootstrapCredentials credentials = bootstrap.credentials();
            id = credentials.clientId();
            secret = credentials.clientSecret();
            whose = "the bootstrap client " + id + " (from " + credentials.source() + ")";
        }
        String forAudience = audience != null ? audience : ManagementClient.audience(connection);
        JsonNode response = new ClientCredentials(connection).request(id, secret, forAudience, scope, whose);
        if (output.json()) {
            output.printJson(response);
        } else {
            output.line(response.path("access_token").asText());
            output.note(response.path("token_type").asText("Bearer") + " token for " + forAudience + ", "
                    + whose + ", expires in " + response.path("expires_in").asText("?") + " s, scope: "
                    + (response.path("scope").asText("").isEmpty() ? "(none)" : response.path("scope").asText()));
        }
        return 0;
    }
}
