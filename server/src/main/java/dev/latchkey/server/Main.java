package dev.latchkey.server;

import dev.latchkey.server.cli.ApisCommand;
import dev.latchkey.server.cli.ClientsCommand;
import dev.latchkey.server.cli.DecodeCommand;
import dev.latchkey.server.cli.GrantsCommand;
import dev.latchkey.server.cli.KeysCommand;
import dev.latchkey.server.cli.LoginCommand;
import dev.latchkey.server.cli.ServeCommand;
import dev.latchkey.server.cli.TokenCommand;
import dev.latchkey.server.cli.UsersCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code latchkey} command: {@code serve} runs the server; the rest administer one. */
@Command(name = "latchkey", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Latchkey: a self-hostable OAuth 2.0 / OpenID Connect authorization server.",
        subcommands = {ServeCommand.class, ApisCommand.class, ClientsCommand.class, GrantsCommand.class,
                UsersCommand.class, TokenCommand.class, LoginCommand.class, DecodeCommand.class,
                KeysCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line of every command. A value that begins with {@code -} stays a value: picocli applies a
     * {@code ${env:...}} default through its option parser, which otherwise reads {@code -habc...} (a random
     * secret may begin so) as the options {@code -h -a -b -c} and prints help instead of starting.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setAllowOptionsAsOptionParameters(true);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
