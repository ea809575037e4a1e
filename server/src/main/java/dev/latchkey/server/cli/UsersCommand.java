package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.UserDirectory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code latchkey users}: people who log in with an email and password (a database connection). */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = "Create and list users of a database connection.",
        subcommands = {UsersCommand.Create.class, UsersCommand.ListAll.class})
public final class UsersCommand extends CommandGroup {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user who can log in with an email and password; prints its user_id.")
    static final class Create extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The login email.")
        String email;

        @ArgGroup(exclusive = true, multiplicity = "1")
        PasswordSource passwordSource;

        @Option(names = "--name", paramLabel = "NAME", description = "A display name (the name claim).")
        String name;

        @Option(names = "--connection", paramLabel = "CONNECTION", defaultValue = UserDirectory.DEFAULT_CONNECTION,
                description = "The database connection (default ${DEFAULT-VALUE}).")
        String connection;

        @Override
        int run(Output output) {
            if (email.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--email must not be empty");
            }
            String password = passwordSource.read();
            if (password.isEmpty()) {
                throw new ParameterException(spec.commandLine(), passwordSource.fromStdin
                        ? "--password-stdin read an empty line: give the password on standard input"
                        : "--password must not be empty");
            }
            ObjectNode body = Json.object().put("connection", connection).put("email", email).put("password", password);
            if (name != null && !name.isBlank()) {
                body.put("name", name);
            }
            JsonNode user = ManagementClient.connect(issuer, bootstrap).post("users", body);
            if (output.json()) {
                output.printJson(user);
                return 0;
            }
            output.line("Created user " + user.path("email").asText() + " (" + connection + ")");
            List<String[]> fields = new ArrayList<>();
            fields.add(new String[] {"user_id", user.path("user_id").asText()});
            fields.add(new String[] {"email", user.path("email").asText()});
            if (user.hasNonNull("name")) {
                fields.add(new String[] {"name", user.path("name").asText()});
            }
            fields.add(new String[] {"connection", connection});
            output.fields(fields);
            output.note("The user can now log in through /authorize with this email and password.");
            return 0;
        }
    }

    /** The password on the command line (visible to other users in the process list), or on stdin. */
    static final class PasswordSource {
        @Option(names = "--password", required = true, paramLabel = "PASSWORD",
                description = "The password (the server checks its strength). Other users of this machine can "
                        + "see it in the process list; prefer --password-stdin.")
        String password;

        @Option(names = "--password-stdin", required = true,
                description = "Read the password from the first line of standard input (asked for without "
                        + "echo when standard input is a terminal).")
        boolean fromStdin;

        String read() {
            if (!fromStdin) {
                return password;
            }
            Console console = System.console();
            if (interactive(console)) { // ask, without echoing what is typed
                char[] typed = console.readPassword("Password for the new user: ");
                return typed == null ? "" : new String(typed);
            }
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return line == null ? "" : line;
            } catch (IOException e) {
                throw CliException.failed("Could not read the password from standard input: " + e.getMessage());
            }
        }

        /**
         * A console on a terminal. Up to Java 21 {@code System.console()} exists only then; from Java 22 it
         * may exist with standard input piped, and {@code Console.isTerminal()} (22+) tells.
         */
        private static boolean interactive(Console console) {
            if (console == null) {
                return false;
            }
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true; // before Java 22: the console exists only on a terminal
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users.")
    static final class ListAll extends AdminCommand {
        @Mixin IssuerOption issuer;
        @Mixin BootstrapOptions bootstrap;

        @Option(names = "--connection", paramLabel = "CONNECTION", description = "Only the users of this connection.")
        String connection;

        @Override
        int run(Output output) {
            ArrayNode users = ManagementClient.connect(issuer, bootstrap).list("users",
                    connection == null ? null : ManagementClient.query("connection", connection));
            if (output.json()) {
                output.printJson(users);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode user : users) {
                rows.add(List.of(user.path("user_id").asText(), user.path("email").asText(),
                        user.path("name").asText(""), connectionOf(user)));
            }
            output.table(List.of("USER_ID", "EMAIL", "NAME", "CONNECTION"), rows);
            return 0;
        }

        private static String connectionOf(JsonNode user) {
            JsonNode identity = user.path("identities").path(0);
            return identity.path("connection").asText("");
        }
    }
}
