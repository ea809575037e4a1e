package dev.latchkey.server.cli;

import dev.latchkey.server.config.Settings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.URI;

/** {@code --issuer}: which Latchkey to talk to; by default the one {@code ./latchkey serve} starts here. */
final class IssuerOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--issuer", paramLabel = "URL", defaultValue = "${env:LATCHKEY_ISSUER}",
            description = "The server's issuer URL (LATCHKEY_ISSUER, default http://localhost:${LATCHKEY_PORT:-8080}/).")
    String issuer;

    /** The issuer with its trailing slash, as the server itself normalises it. */
    URI issuer() {
        String value = issuer != null && !issuer.isBlank() ? issuer : defaultIssuer();
        try {
            return Settings.normaliseIssuer(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid --issuer '" + value
                    + "': give the server's URL, e.g. http://localhost:8080/");
        }
    }

    /** As {@code serve} computes it: scheme from whether TLS files are set, port from LATCHKEY_PORT. */
    private static String defaultIssuer() {
        String port = System.getenv("LATCHKEY_PORT");
        String tls = System.getenv("LATCHKEY_TLS_CERT_FILE");
        return (tls == null || tls.isBlank() ? "http" : "https") + "://localhost:"
                + (port == null || port.isBlank() ? "8080" : port.trim()) + "/";
    }
}
