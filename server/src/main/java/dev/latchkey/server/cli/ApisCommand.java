package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;

/** {@code latchkey apis}: the APIs (Auth0 resource servers) that tokens are issued for. */
@Command(name = "apis", mixinStandardHelpOptions = true,
        description = "Create, list and delete APIs (resource servers); an API's identifier is the token audience.",
        subcommands = {ApisCommand.Create.class, ApisCommand.ListAll.class, ApisCommand.Delete.class})
public final class ApisCommand extends CommandGroup {

    private static final int LIST_WIDTH = 60;

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Register an API.")
    static final class Create extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Option(names = "--identifier", required = true, paramLabel = "URL",
                description = "The audience of its tokens, e.g. https://api.example.com/ (cannot change later).")
        String identifier;

        @Option(names = "--name", paramLabel = "NAME", description = "A readable name (default: the identifier).")
        String name;

        @Option(names = "--scope", paramLabel = "VALUE[=DESCRIPTION]",
                description = "A scope it defines, e.g. read:patients=\"Read patient records\"; repeatable.")
        List<String> scopes = new ArrayList<>();

        @Option(names = "--signing-alg", paramLabel = "ALG", converter = Choices.SigningAlgorithms.class,
                completionCandidates = Choices.SigningAlgorithms.class,
                description = "RS256 (default), PS256, or HS256 (signed with a generated secret): ${COMPLETION-CANDIDATES}.")
        SigningAlgorithm signingAlg;

        @Option(names = "--token-lifetime", paramLabel = "SECONDS",
                description = "Access-token lifetime in seconds (default 86400, at most 2592000).")
        Integer tokenLifetime;

        @Option(names = "--dialect", paramLabel = "DIALECT", converter = Choices.Dialects.class,
                completionCandidates = Choices.Dialects.class,
                description = "Token profile: ${COMPLETION-CANDIDATES} (default access_token).")
        TokenDialect dialect;

        @Override
        int run(Output output) {
            ObjectNode body = body();
            JsonNode api = ManagementClient.connect(issuer, bootstrap).post("resource-servers", body);
            if (output.json()) {
                output.printJson(api);
                return 0;
            }
            output.line("Created API \"" + api.path("name").asText() + "\" (id " + api.path("id").asText() + ")");
            output.fields(describe(api));
            output.note("Next: let a client ask for its tokens with `./latchkey grants create --client-id <client_id> "
                    + "--audience " + api.path("identifier").asText() + "`.");
            return 0;
        }

        private ObjectNode body() {
            if (identifier.isBlank() || identifier.chars().anyMatch(Character::isWhitespace)) {
                throw new ParameterException(spec.commandLine(), "--identifier must be non-empty, without spaces");
            }
            if (tokenLifetime != null && (tokenLifetime < 1 || tokenLifetime > ResourceServer.MAX_TOKEN_LIFETIME)) {
                throw new ParameterException(spec.commandLine(), "--token-lifetime must be between 1 and "
                        + ResourceServer.MAX_TOKEN_LIFETIME + " seconds, got " + tokenLifetime);
            }
            ObjectNode body = Json.object().put("identifier", identifier);
            if (name != null) {
                body.put("name", name);
            }
            ArrayNode scopeArray = body.putArray("scopes");
            for (String scope : scopes) {
                int equals = scope.indexOf('=');
                String value = (equals < 0 ? scope : scope.substring(0, equals)).trim();
                if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
                    throw new ParameterException(spec.commandLine(),
                            "--scope '" + scope + "': the scope value must be non-empty, without spaces");
                }
                ObjectNode item = scopeArray.addObject().put("value", value);
                if (equals >= 0) {
                    item.put("description", scope.substring(equals + 1).trim());
                }
            }
            if (signingAlg != null) {
                body.put("signing_alg", signingAlg.name());
            }
            if (tokenLifetime != null) {
                body.put("token_lifetime", tokenLifetime);
            }
            if (dialect != null) {
                body.put("token_dialect", dialect.value());
            }
            return body;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the APIs.")
    static final class ListAll extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Override
        int run(Output output) {
            ArrayNode apis = ManagementClient.connect(issuer, bootstrap).list("resource-servers", null);
            if (output.json()) {
                output.printJson(apis);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode api : apis) {
                rows.add(List.of(api.path("id").asText(), api.path("identifier").asText(),
                        api.path("name").asText() + (api.path("is_system").asBoolean() ? " (system)" : ""),
                        api.path("signing_alg").asText(), Output.words(scopeValues(api), LIST_WIDTH)));
            }
            output.table(List.of("ID", "IDENTIFIER", "NAME", "ALG", "SCOPES"), rows);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an API and every client grant for it.")
    static final class Delete extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Parameters(paramLabel = "ID_OR_IDENTIFIER", description = "The API's id or its identifier (audience).")
        String idOrIdentifier;

        @Override
        int run(Output output) {
            ManagementClient management = ManagementClient.connect(issuer, bootstrap);
            JsonNode api = find(management.list("resource-servers", null), idOrIdentifier);
            if (api == null || !management.deleteIfPresent("resource-servers/"
                    + ManagementClient.segment(api.path("id").asText()))) {
                throw CliException.failed("No API has the id or identifier " + idOrIdentifier
                        + ". `./latchkey apis list` shows them.");
            }
            if (output.json()) {
                output.printJson(Json.object().put("id", api.path("id").asText())
                        .put("identifier", api.path("identifier").asText()).put("deleted", true));
            } else {
                output.line("Deleted API " + api.path("identifier").asText() + " (id " + api.path("id").asText()
                        + ") and its client grants.");
            }
            return 0;
        }

        private static JsonNode find(ArrayNode apis, String idOrIdentifier) {
            for (JsonNode api : apis) {
                if (api.path("id").asText().equals(idOrIdentifier)) {
                    return api;
                }
            }
            for (JsonNode api : apis) {
                if (api.path("identifier").asText().equals(idOrIdentifier)) {
                    return api;
                }
            }
            return null;
        }
    }

    /** The readable fields of a new API, with its HS256 secret: the caller just made it. */
    private static List<String[]> describe(JsonNode api) {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"identifier", api.path("identifier").asText()});
        fields.add(new String[] {"signing alg", api.path("signing_alg").asText()});
        if (api.hasNonNull("signing_secret")) {
            fields.add(new String[] {"signing secret", api.path("signing_secret").asText()
                    + "  (verifies its HS256 tokens; keep it private)"});
        }
        fields.add(new String[] {"token lifetime", api.path("token_lifetime").asText() + " s"});
        fields.add(new String[] {"dialect", api.path("token_dialect").asText()});
        fields.add(new String[] {"scopes", api.path("scopes").isEmpty() ? "(none)" : Output.words(scopeValues(api))});
        return fields;
    }

    private static ArrayNode scopeValues(JsonNode api) {
        ArrayNode values = Json.MAPPER.createArrayNode();
        api.path("scopes").forEach(scope -> values.add(scope.path("value").asText()));
        return values;
    }
}
