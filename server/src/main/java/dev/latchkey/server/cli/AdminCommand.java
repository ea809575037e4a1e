package dev.latchkey.server.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * The frame of every admin command: {@code --json}, the {@link Output} bound to picocli's writers,
 * and the exit codes: 0 done, 1 refused by the server or not reachable, 2 usage. Flag errors are
 * picocli's own (exit 2 with the usage); a {@link CliException} is printed as one line.
 */
abstract class AdminCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the server's JSON instead of readable text.")
    boolean json;

    @Override
    public final Integer call() {
        Output output = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
        try {
            return run(output);
        } catch (CliException e) {
            output.error(e.getMessage());
            return e.exitCode();
        }
    }

    /** Does the work; returns the exit code (0 unless the command reports a finding, as decode does). */
    abstract int run(Output output);
}
