package dev.latchkey.examples.health;

import dev.latchkey.verifier.AccessTokenVerifier;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.javalin.BearerTokenHandler;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The sample API of Auth0's access-token page, protected by Latchkey: {@code GET /patients} needs
 * {@code read:patients}, {@code GET /admin} needs {@code read:admin}, {@code GET /health} is public.
 * <p>
 * Run with {@code java -jar examples/health-api/target/health-api.jar}; {@code LATCHKEY_ISSUER} names the
 * issuer (default {@code http://localhost:8080/}) and {@code PORT} the port (default 3010, on 127.0.0.1).
 */
public final class HealthApi {

    /** The API identifier: register an API with this identifier in Latchkey, and ask for it as audience. */
    public static final String AUDIENCE = "https://example.com/health-api";

    private static final Logger log = LoggerFactory.getLogger(HealthApi.class);
    private static final List<Patient> PATIENTS = List.of(
            new Patient("p-1001", "Ada Lovelace", "1815-12-10"),
            new Patient("p-1002", "Alan Turing", "1912-06-23"));

    /** A patient record as the API returns it. */
    public record Patient(String id, String name, String birthdate) {
    }

    private HealthApi() {
    }

    public static void main(String[] args) {
        String issuer = System.getenv().getOrDefault("LATCHKEY_ISSUER", "http://localhost:8080/");
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3010"));
        AccessTokenVerifier verifier = AccessTokenVerifier.builder().issuer(issuer).audience(AUDIENCE).build();
        Javalin app = create(verifier).start("127.0.0.1", port);
        log.info("Health API on http://127.0.0.1:{}/ trusting tokens from {} for audience {}", app.port(), issuer,
                AUDIENCE);
    }

    /** The app, not started: each protected route gets a before-handler that checks the token and its scope. */
    public static Javalin create(AccessTokenVerifier verifier) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson());
            config.routes.beforeMatched("/patients", new BearerTokenHandler(verifier, "read:patients"));
            config.routes.beforeMatched("/admin", new BearerTokenHandler(verifier, "read:admin"));

            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/patients", ctx -> ctx.json(PATIENTS));
            config.routes.get("/admin", ctx -> {
                VerifiedToken token = BearerTokenHandler.token(ctx);
                ctx.json(Map.of("message", "Hello, admin", "subject", token.subject(),
                        "scopes", token.scopes()));
            });
        });
    }
}
