package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code latchkey login --device}: logs a user in from a terminal with the device authorization grant
 * (RFC 8628): asks {@code /oauth/device/code} for a code, prints where to enter it ({@code /activate}), then
 * polls the token endpoint at the interval the server gave, 5 s longer after each {@code slow_down} (§3.5),
 * until the user approves or declines, or the code expires. The token response goes to standard output as
 * JSON; the instructions and progress go to standard error.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Log a user in from this terminal with the device flow (RFC 8628) and print their tokens.",
                "The client must be a native application with the device code grant enabled."})
public final class LoginCommand extends AdminCommand {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    @Mixin IssuerOption issuer;

    /** Required: the device flow is the only way this command logs in, for now. */
    @Option(names = "--device", required = true, description = "Use the device flow (the only one for now).")
    boolean device;

    @Option(names = "--client-id", required = true, paramLabel = "ID", description = "The native application.")
    String clientId;

    @Option(names = "--audience", paramLabel = "URL", description = "The API the access token is for.")
    String audience;

    @Option(names = "--scope", paramLabel = "\"A B\"", defaultValue = "openid profile email",
            description = "Space-separated scopes (default: ${DEFAULT-VALUE}); add offline_access for a refresh "
                    + "token.")
    String scope;

    @Override
    int run(Output output) {
        IssuerConnection connection = new IssuerConnection(issuer.issuer());
        StringBuilder form = new StringBuilder("client_id=").append(encode(clientId)).append("&scope=")
                .append(encode(scope));
        if (audience != null) {
            form.append("&audience=").append(encode(audience));
        }
        ServerAnswer started = connection.postForm("oauth/device/code", form.toString());
        if (!started.ok()) {
            throw CliException.failed("The device code was refused: " + started.errorMessage());
        }
        JsonNode code = started.body();
        output.note("To log in, open " + code.path("verification_uri").asText() + " and enter the code "
                + code.path("user_code").asText());
        output.note("  or open " + code.path("verification_uri_complete").asText());
        output.note("Waiting for you to confirm in the browser...");
        JsonNode tokens = poll(connection, clientId, code.path("device_code").asText(), code.path("interval").asInt(5),
                Instant.now().plusSeconds(code.path("expires_in").asLong(900)));
        output.printJson(tokens);
        return 0;
    }

    /** RFC 8628 §3.4, §3.5: polls until the tokens come, or the answer is final. */
    private static JsonNode poll(IssuerConnection connection, String clientId, String deviceCode, int interval,
                                 Instant deadline) {
        String form = "grant_type=" + encode(GRANT) + "&client_id=" + encode(clientId) + "&device_code="
                + encode(deviceCode);
        int wait = interval;
        while (true) {
            if (Instant.now().plusSeconds(wait).isAfter(deadline)) {
                throw CliException.failed("The code expired before it was confirmed. Run the command again.");
            }
            sleep(Duration.ofSeconds(wait));
            ServerAnswer answer = connection.postForm("oauth/token", form);
            if (answer.ok()) {
                return answer.body();
            }
            String error = answer.errorCode();
            if ("slow_down".equals(error)) {
                wait += 5;
            } else if (!"authorization_pending".equals(error)) {
                throw CliException.failed("Login failed: " + answer.errorMessage());
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("Interrupted while waiting for the login");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
