package dev.latchkey.server;

import dev.latchkey.server.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code latchkey} command: {@code serve} runs the server; the rest administer one. */
@Command(name = "latchkey", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Latchkey: a self-hostable OAuth 2.0 / OpenID Connect authorization server.",
        subcommands = {ServeCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
