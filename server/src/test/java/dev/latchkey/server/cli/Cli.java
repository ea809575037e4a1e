package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.Main;
import dev.latchkey.server.testing.TestServer;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@code latchkey} commands in-process, as {@code Main} does, capturing both streams. Every
 * run names its server and credentials on the command line, so no test depends on the environment.
 */
final class Cli {

    /** What a command printed and its exit code. */
    record Result(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return TestServer.JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** Runs {@code args} against {@code server} with its bootstrap credentials. */
    static Result admin(TestServer server, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--issuer", server.issuer(),
                "--bootstrap-client-id", server.bootstrapClientId(),
                "--bootstrap-client-secret", server.bootstrapClientSecret()));
        return run(all.toArray(String[]::new));
    }

    /** Runs {@code args} against {@code server}, naming only its issuer. */
    static Result at(TestServer server, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--issuer", server.issuer()));
        return run(all.toArray(String[]::new));
    }
}
