package dev.latchkey.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code latchkey decode <jwt>}: shows a token's header and claims and verifies it against the
 * issuer: signature with the keys its discovery document points to, then {@code iss} and
 * {@code exp}. Exit 0 only when every check passes.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Show a JWT's header and claims and verify it against the issuer's JWKS.",
                "Exits 0 when the signature, iss and exp check out, 1 when not, 2 when the input is not a JWT."})
public final class DecodeCommand extends AdminCommand {

    @Mixin IssuerOption issuer;

    @Parameters(paramLabel = "JWT", description = "The token, or - to read it from standard input.")
    String token;

    @Option(names = "--secret", paramLabel = "SECRET",
            description = "The API's signing secret, to verify an HS256 token.")
    String secret;

    @Option(names = "--audience", paramLabel = "URL", description = "Also check that aud includes this API identifier.")
    String audience;

    @Override
    int run(Output output) {
        SignedJWT jwt = parse(read());
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw CliException.usage("The token's payload is not a JSON claims set: " + e.getMessage());
        }
        JsonNode header = json(jwt.getHeader().getParsedBase64URL().decodeToString());
        JsonNode payload = json(jwt.getPayload().toString());
        if (!output.json()) {
            // Shown before the checks, so that a token can be read even when the issuer cannot be reached.
            output.line("header:");
            output.line(Output.pretty(header));
            output.line("claims:");
            output.line(Output.pretty(payload));
        }
        IssuerConnection connection = new IssuerConnection(issuer.issuer());
        Supplier<JWKSet> jwks = () -> new IssuerKeys(connection).fetch();
        List<TokenVerification.Check> checks = new TokenVerification(connection.issuer().toString(), audience,
                Instant.now()).run(jwt, claims, jwks, secret);
        boolean valid = checks.stream().allMatch(TokenVerification.Check::passed);
        if (output.json()) {
            ObjectNode result = Json.object();
            result.set("header", header);
            result.set("claims", payload);
            ObjectNode findings = result.putObject("checks");
            checks.forEach(check -> findings.putObject(check.name().replace(' ', '_'))
                    .put("passed", check.passed()).put("detail", check.detail()));
            result.put("valid", valid);
            output.printJson(result);
        } else {
            List<String[]> fields = new ArrayList<>();
            checks.forEach(check -> fields.add(new String[] {check.name(), check.detail()}));
            output.fields(fields);
        }
        if (!valid) {
            output.error("the token does not verify: " + String.join(", ", checks.stream()
                    .filter(check -> !check.passed()).map(TokenVerification.Check::name).toList()));
            return CliException.FAILED;
        }
        return 0;
    }

    private String read() {
        String text = token;
        if ("-".equals(token)) {
            try {
                text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CliException.usage("Cannot read the token from standard input: " + e.getMessage());
            }
        }
        text = text.strip();
        if (text.regionMatches(true, 0, "Bearer ", 0, 7)) {
            text = text.substring(7).strip();
        }
        if (text.isEmpty()) {
            throw CliException.usage("No token given: pass it as the argument, or - and pipe it in.");
        }
        return text;
    }

    /** Nimbus parses; an unsigned or encrypted token is refused here, not verified. */
    private static SignedJWT parse(String text) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(text);
        } catch (ParseException e) {
            throw CliException.usage("This is not a JWT (" + e.getMessage() + "). A JWT is three base64url parts "
                    + "separated by dots, as the access_token of `./latchkey token`.");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw CliException.usage("This JWT is " + (jwt.getHeader().getAlgorithm().getName().equals("none")
                    ? "unsigned (alg none)" : "encrypted") + "; only signed tokens can be decoded and verified.");
        }
        return signed;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw CliException.usage("The token is not JSON inside: " + e.getOriginalMessage());
        }
    }
}
