package dev.latchkey.server.cli;

/**
 * A failure an admin command reports in one sentence that says what to do next, with its exit
 * code: {@link #FAILED} when the server or the network said no, {@link #USAGE} when the command
 * line or the environment must change.
 */
final class CliException extends RuntimeException {

    static final int FAILED = 1;
    static final int USAGE = 2;

    private final int exitCode;

    private CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CliException failed(String message) {
        return new CliException(message, FAILED);
    }

    static CliException usage(String message) {
        return new CliException(message, USAGE);
    }

    int exitCode() {
        return exitCode;
    }
}
