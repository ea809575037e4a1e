package dev.latchkey.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.Map;

/**
 * Tokens for a load that needs user tokens: logs users in through the full authorization-code flow
 * ({@link AuthorizationCodeBrowser}, a fresh browser each time) and prints one field of each token response,
 * one per line, for a wrk script to read.
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.TokenSeed --base http://127.0.0.1:8080/
 *     --client-id ID --client-secret SECRET --redirect-uri https://app.example/callback
 *     --scope "offline_access read:items" [--audience API]
 *     --users "bench-%d@bench.latchkey.dev" --user-count 4 --password P
 *     --count 40 [--field refresh_token]
 * </pre>
 * Login {@code i} is made as user {@code i % user-count}, so the users' refresh-token families (at most 200
 * per user and application) are spread evenly.
 */
public final class TokenSeed {

    private TokenSeed() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = AuthCodeLoad.options(args);
        String base = AuthCodeLoad.required(options, "base");
        AuthorizationCodeBrowser.Target target = new AuthorizationCodeBrowser.Target(
                URI.create(base.endsWith("/") ? base : base + "/"), AuthCodeLoad.required(options, "client-id"),
                AuthCodeLoad.required(options, "client-secret"), AuthCodeLoad.required(options, "redirect-uri"),
                AuthCodeLoad.required(options, "scope"), options.get("audience"), false);
        String users = AuthCodeLoad.required(options, "users");
        int userCount = Integer.parseInt(options.getOrDefault("user-count", "1"));
        String password = AuthCodeLoad.required(options, "password");
        int count = Integer.parseInt(AuthCodeLoad.required(options, "count"));
        String field = options.getOrDefault("field", "refresh_token");

        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            AuthorizationCodeBrowser browser = new AuthorizationCodeBrowser(target);
            JsonNode token = browser.roundTrip(String.format(users, i % userCount), password);
            String value = token.path(field).asText("");
            if (value.isEmpty()) {
                throw new IllegalStateException("No " + field + " in the token response: " + String.join(", ", (Iterable<String>) token::fieldNames));
            }
            out.append(value).append('\n');
        }
        System.out.print(out);
    }
}
