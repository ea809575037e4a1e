package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code latchkey grants}: client grants, which let a client get tokens for an API (Auth0's model). */
@Command(name = "grants", mixinStandardHelpOptions = true,
        description = "Allow clients to get tokens for APIs (client grants), list and delete the grants.",
        subcommands = {GrantsCommand.Create.class, GrantsCommand.ListAll.class, GrantsCommand.Delete.class})
public final class GrantsCommand extends CommandGroup {

    private static final int LIST_WIDTH = 60;

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Let a client get tokens for an API, with some or all of its scopes.")
    static final class Create extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Option(names = "--client-id", required = true, paramLabel = "ID", description = "The client's client_id.")
        String clientId;

        @Option(names = "--audience", required = true, paramLabel = "URL", description = "The API's identifier.")
        String audience;

        @Option(names = "--scope", paramLabel = "SCOPE",
                description = "A scope to grant (repeatable, or several separated by spaces); default: every scope the API defines.")
        List<String> scopes = new ArrayList<>();

        @Override
        int run(Output output) {
            ManagementClient management = ManagementClient.connect(issuer, bootstrap);
            ObjectNode body = Json.object().put("client_id", clientId).put("audience", audience);
            ArrayNode scope = body.putArray("scope");
            (scopes.isEmpty() ? definedScopes(management) : requestedScopes()).forEach(scope::add);
            JsonNode grant = management.post("client-grants", body);
            if (output.json()) {
                output.printJson(grant);
                return 0;
            }
            output.line("Granted client " + grant.path("client_id").asText() + " tokens for "
                    + grant.path("audience").asText() + " (grant " + grant.path("id").asText() + ")");
            output.fields(List.<String[]>of(new String[] {"scopes",
                    grant.path("scope").isEmpty() ? "(none)" : Output.words(grant.path("scope"))}));
            output.note("Next: `./latchkey token --client-id " + clientId + " --client-secret <its secret> --audience "
                    + audience + "`.");
            return 0;
        }

        private Set<String> requestedScopes() {
            Set<String> values = new LinkedHashSet<>();
            for (String option : scopes) {
                for (String value : option.trim().split("\\s+")) {
                    if (!value.isEmpty()) {
                        values.add(value);
                    }
                }
            }
            return values;
        }

        /** No --scope: all the API defines, looked up by identifier. */
        private List<String> definedScopes(ManagementClient management) {
            for (JsonNode api : management.list("resource-servers", null)) {
                if (api.path("identifier").asText().equals(audience)) {
                    List<String> values = new ArrayList<>();
                    api.path("scopes").forEach(s -> values.add(s.path("value").asText()));
                    return values;
                }
            }
            throw CliException.failed("No API has the identifier " + audience + ". Create it with "
                    + "`./latchkey apis create --identifier " + audience + "`, or see `./latchkey apis list`.");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the client grants.")
    static final class ListAll extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Option(names = "--client-id", paramLabel = "ID", description = "Only this client's grants.")
        String clientId;

        @Option(names = "--audience", paramLabel = "URL", description = "Only the grants for this API.")
        String audience;

        @Override
        int run(Output output) {
            List<String> filters = new ArrayList<>();
            if (clientId != null) {
                filters.add(ManagementClient.query("client_id", clientId));
            }
            if (audience != null) {
                filters.add(ManagementClient.query("audience", audience));
            }
            ArrayNode grants = ManagementClient.connect(issuer, bootstrap)
                    .list("client-grants", filters.isEmpty() ? null : String.join("&", filters));
            if (output.json()) {
                output.printJson(grants);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode grant : grants) {
                rows.add(List.of(grant.path("id").asText(), grant.path("client_id").asText(),
                        grant.path("audience").asText(), Output.words(grant.path("scope"), LIST_WIDTH)));
            }
            output.table(List.of("ID", "CLIENT_ID", "AUDIENCE", "SCOPE"), rows);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a client grant.")
    static final class Delete extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Parameters(paramLabel = "GRANT_ID", description = "The grant's id (cgr_...).")
        String id;

        @Override
        int run(Output output) {
            if (!ManagementClient.connect(issuer, bootstrap).deleteIfPresent("client-grants/" + ManagementClient.segment(id))) {
                throw CliException.failed("No client grant has the id " + id + ". `./latchkey grants list` shows them.");
            }
            output.deleted("client grant", "id", id);
            return 0;
        }
    }
}
