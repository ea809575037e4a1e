package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;

/** {@code latchkey keys}: the RSA signing keys (Auth0's {@code /api/v2/keys/signing}). */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "List and rotate the signing keys.",
        subcommands = {KeysCommand.ListAll.class, KeysCommand.Rotate.class})
public final class KeysCommand extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the signing keys: current, next (published, not yet signing), previous, revoked.")
    static final class ListAll extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Override
        int run(Output output) {
            JsonNode keys = ManagementClient.connect(issuer, bootstrap).get("keys/signing");
            if (output.json()) {
                output.printJson(keys);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode key : keys) {
                rows.add(List.of(key.path("kid").asText(), state(key), key.path("current_since").asText("-"),
                        key.path("current_until").asText("-"), key.path("fingerprint").asText()));
            }
            output.table(List.of("KID", "STATE", "CURRENT SINCE", "CURRENT UNTIL", "SHA-1 FINGERPRINT"), rows);
            return 0;
        }

        private static String state(JsonNode key) {
            for (String state : List.of("current", "next", "previous", "revoked")) {
                if (key.path(state).asBoolean()) {
                    return state;
                }
            }
            return "-";
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Make the next key current; the current one becomes previous and stays in the JWKS.")
    static final class Rotate extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Override
        int run(Output output) {
            JsonNode rotated = ManagementClient.connect(issuer, bootstrap).post("keys/signing/rotate", null);
            if (output.json()) {
                output.printJson(rotated);
                return 0;
            }
            output.line("Rotated the signing keys: new tokens are signed with " + rotated.path("kid").asText() + ".");
            output.note("Tokens signed with the previous key stay valid until they expire: its public key stays "
                    + "in the JWKS until it is revoked.");
            return 0;
        }
    }
}
