package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk user jobs against a real server: Auth0's import file with every supported password hash, the
 * per-user error report, upsert, the login that verifies an imported hash and upgrades it, and exports
 * downloaded through their signed link (Auth0 "Bulk User Imports", "Bulk User Import Database Schema
 * and Examples", "Bulk User Exports").
 */
class JobsApiTest {

    private static final String CONNECTION = "Username-Password-Authentication";
    private static final String REALM_GRANT = "http://auth0.com/oauth/grant-type/password-realm";
    private static final String PASSWORD = "imported Passw0rd!";
    private static TestServer server;
    private static String connectionId;
    private static JsonNode app;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        app = server.createClient("""
                {"name":"Import app","app_type":"regular_web","grant_types":["%s"]}""".formatted(REALM_GRANT));
        JsonNode connections = json(server.management("GET", "api/v2/connections", null));
        for (JsonNode connection : connections) {
            if (connection.path("name").asText().equals(CONNECTION)) {
                connectionId = connection.path("id").asText();
            }
        }
        assertThat(connectionId).isNotNull();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String tag() {
        return "i" + UUID.randomUUID().toString().substring(0, 8);
    }

    static HttpResponse<String> upload(TestServer on, String file, Map<String, String> fields) {
        String boundary = "----latchkey" + UUID.randomUUID();
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"users\"; filename=\"users.json\"\r\n")
                .append("Content-Type: application/json\r\n\r\n").append(file).append("\r\n")
                .append("--").append(boundary).append("--\r\n");
        return on.send(HttpRequest.newBuilder(on.uri("api/v2/jobs/users-imports"))
                .header("Authorization", "Bearer " + on.managementToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /**
     * Polls the job until it ends. The pause between polls grows from 5 ms to 100 ms: the Management API limits
     * calls per token (50 burst), and a tight loop on a fast machine would spend that budget on polls alone.
     */
    static JsonNode finished(TestServer on, String jobId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        long pauseNanos = Duration.ofMillis(5).toNanos();
        while (true) {
            JsonNode job = json(on.management("GET", "api/v2/jobs/" + jobId, null));
            String status = job.path("status").asText();
            if (status.equals("completed") || status.equals("failed") || Instant.now().isAfter(deadline)) {
                return job;
            }
            LockSupport.parkNanos(pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, Duration.ofMillis(100).toNanos());
        }
    }

    private static String user(String email, String hashJson) {
        return """
                {"email":"%s","email_verified":true,"name":"Imported %s","app_metadata":{"plan":"gold"},
                 "user_metadata":{"lang":"fr"}%s}""".formatted(email, email, hashJson == null ? "" : "," + hashJson);
    }

    @Test
    void importsEveryListedHashReportsTheRestPerUserAndTheImportedPasswordsLogIn() throws Exception {
        String tag = tag();
        byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        String bcrypt = OpenBSDBCrypt.generate("2b", PASSWORD.toCharArray(), salt, 4);
        byte[] shaSalt = "pepper-salt".getBytes(StandardCharsets.UTF_8);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(shaSalt);
        String sha256Hex = HexFormat.of().formatHex(sha256.digest(PASSWORD.getBytes(StandardCharsets.UTF_8)));
        MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
        sha512.update(PASSWORD.getBytes(StandardCharsets.UTF_8));
        String sha512B64 = Base64.getEncoder().encodeToString(sha512.digest(shaSalt));
        PKCS5S2ParametersGenerator pbkdf2 = new PKCS5S2ParametersGenerator(new SHA256Digest());
        pbkdf2.init(PASSWORD.getBytes(StandardCharsets.UTF_8), salt, 1000);
        byte[] pbkdf2Out = ((KeyParameter) pbkdf2.generateDerivedMacParameters(256)).getKey();
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String pbkdf2Phc = "$pbkdf2-sha256$i=1000,l=32$" + b64.encodeToString(salt) + "$" + b64.encodeToString(pbkdf2Out);
        Argon2BytesGenerator argon = new Argon2BytesGenerator();
        argon.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_i).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(256).withIterations(1).withParallelism(1).withSalt(salt).build());
        byte[] argonOut = new byte[32];
        argon.generateBytes(PASSWORD.getBytes(StandardCharsets.UTF_8), argonOut);
        String argonPhc = "$argon2i$v=19$m=256,t=1,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(argonOut);

        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put("bcrypt", "\"password_hash\":\"" + bcrypt + "\"");
        hashes.put("custom-bcrypt", "\"custom_password_hash\":{\"algorithm\":\"bcrypt\",\"hash\":{\"value\":\""
                + bcrypt + "\"}}");
        hashes.put("sha256", "\"custom_password_hash\":{\"algorithm\":\"sha256\",\"hash\":{\"value\":\"" + sha256Hex
                + "\",\"encoding\":\"hex\"},\"salt\":{\"value\":\"pepper-salt\",\"position\":\"prefix\"}}");
        hashes.put("sha512", "\"custom_password_hash\":{\"algorithm\":\"sha512\",\"hash\":{\"value\":\"" + sha512B64
                + "\",\"encoding\":\"base64\"},\"salt\":{\"value\":\"" + b64.encodeToString(shaSalt)
                + "\",\"encoding\":\"base64\",\"position\":\"suffix\"}}");
        hashes.put("pbkdf2", "\"custom_password_hash\":{\"algorithm\":\"pbkdf2\",\"hash\":{\"value\":\"" + pbkdf2Phc
                + "\",\"encoding\":\"utf8\"}}");
        hashes.put("argon2", "\"custom_password_hash\":{\"algorithm\":\"argon2\",\"hash\":{\"value\":\"" + argonPhc
                + "\",\"encoding\":\"utf8\"}}");
        StringBuilder file = new StringBuilder("[");
        hashes.forEach((name, hash) -> file.append(user(name + "." + tag + "@example.com", hash)).append(','));
        // Refused per user, the rest imported: an unknown algorithm, one not supported, a bad hash, a
        // duplicate in the file, a missing email, a NUL, an unknown property, both hashes at once.
        file.append(user("md5." + tag + "@example.com", "\"custom_password_hash\":{\"algorithm\":\"md5\","
                + "\"hash\":{\"value\":\"5f4dcc3b5aa765d61d8327deb882cf99\",\"encoding\":\"hex\"}}")).append(',')
                .append(user("rot13." + tag + "@example.com", "\"custom_password_hash\":{\"algorithm\":\"rot13\","
                        + "\"hash\":{\"value\":\"x\"}}")).append(',')
                .append(user("badhash." + tag + "@example.com", "\"password_hash\":\"$2b$10$tooshort\"")).append(',')
                .append(user("bcrypt." + tag + "@example.com", null)).append(',')
                .append("{\"name\":\"no email\"},")
                .append("{\"email\":\"nul." + tag + "@example.com\",\"name\":\"a\\u0000b\"},")
                .append("{\"email\":\"extra." + tag + "@example.com\",\"favourite\":\"blue\"},")
                .append("{\"email\":\"both." + tag + "@example.com\",\"password_hash\":\"" + bcrypt
                        + "\",\"custom_password_hash\":{\"algorithm\":\"bcrypt\",\"hash\":{\"value\":\"" + bcrypt + "\"}}},")
                .append("42]");

        HttpResponse<String> started = upload(server, file.toString(), Map.of("connection_id", connectionId,
                "external_id", "batch-" + tag, "send_completion_email", "false"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode pending = json(started);
        assertThat(pending.path("type").asText()).isEqualTo("users_import");
        assertThat(pending.path("id").asText()).startsWith("job_");
        assertThat(pending.path("connection_id").asText()).isEqualTo(connectionId);
        assertThat(pending.path("external_id").asText()).isEqualTo("batch-" + tag);
        assertThat(pending.path("upsert").asBoolean(true)).isFalse();

        JsonNode job = finished(server, pending.path("id").asText());
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("completed");
        assertThat(job.path("summary").path("total").asInt()).isEqualTo(15);
        assertThat(job.path("summary").path("inserted").asInt()).isEqualTo(6);
        assertThat(job.path("summary").path("failed").asInt()).isEqualTo(9);

        JsonNode errors = json(server.management("GET", "api/v2/jobs/" + job.path("id").asText() + "/errors", null));
        assertThat(errors).hasSize(9);
        String report = errors.toString();
        assertThat(report).contains("md5 algorithm is not supported", "unknown algorithm rot13",
                "password_hash must be a bcrypt hash", "DUPLICATED_USER", "Missing required property: email",
                "control characters", "Additional properties not allowed: favourite", "exclude each other",
                "Expected type object");
        assertThat(report).doesNotContain(bcrypt).doesNotContain("5f4dcc3b5aa765d61d8327deb882cf99");
        for (JsonNode entry : errors) {
            assertThat(entry.path("errors").get(0).path("code").asText()).isNotEmpty();
        }

        for (String name : hashes.keySet()) {
            String email = name + "." + tag + "@example.com";
            HttpResponse<String> login = login(email, PASSWORD);
            assertThat(login.statusCode()).as(name + " " + login.body()).isEqualTo(200);
            assertThat(login(email, "wrong " + PASSWORD).statusCode()).as(name).isEqualTo(403);
            // Upgraded to Argon2id on the first successful login.
            assertThat(storedHash(email)).as(name).startsWith("$argon2id$");
            assertThat(login(email, PASSWORD).statusCode()).as(name).isEqualTo(200);
        }
        JsonNode found = json(server.management("GET", "api/v2/users?q=" + encode("email:\"sha256." + tag
                + "@example.com\""), null));
        assertThat(found.get(0).path("app_metadata").path("plan").asText()).isEqualTo("gold");
        assertThat(found.get(0).path("email_verified").asBoolean()).isTrue();
    }

    @Test
    void upsertUpdatesExistingUsersAndWithoutItTheyAreReported() {
        String email = "up." + tag() + "@example.com";
        String first = "[" + user(email, null) + "]";
        JsonNode inserted = finished(server, json(upload(server, first, Map.of("connection_id", connectionId)))
                .path("id").asText());
        assertThat(inserted.path("summary").path("inserted").asInt()).isEqualTo(1);

        JsonNode again = finished(server, json(upload(server, first, Map.of("connection_id", connectionId)))
                .path("id").asText());
        assertThat(again.path("summary").path("failed").asInt()).isEqualTo(1);
        assertThat(server.management("GET", "api/v2/jobs/" + again.path("id").asText() + "/errors", null).body())
                .contains("DUPLICATED_USER");

        String renamed = "[{\"email\":\"" + email + "\",\"name\":\"Renamed\"}]";
        JsonNode updated = finished(server, json(upload(server, renamed, Map.of("connection_id", connectionId,
                "upsert", "true"))).path("id").asText());
        assertThat(updated.path("upsert").asBoolean()).isTrue();
        assertThat(updated.path("summary").path("updated").asInt()).isEqualTo(1);
        JsonNode user = json(server.management("GET", "api/v2/users-by-email?email=" + encode(email), null)).get(0);
        assertThat(user.path("name").asText()).isEqualTo("Renamed");
    }

    @Test
    void anEmailHeldByALinkedIdentityIsADuplicateEvenWithUpsert() {
        // Auth0: an email is held once per database connection; a linked identity's logs its primary in (V18).
        String primary = TestUsers.create(server, "primary." + tag() + "@example.com").userId();
        String email = "linked." + tag() + "@example.com";
        String secondary = TestUsers.create(server, email).userId();
        HttpResponse<String> linked = server.management("POST", "api/v2/users/" + encode(primary) + "/identities",
                "{\"provider\":\"auth0\",\"user_id\":\"" + secondary.substring("auth0|".length()) + "\"}");
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);

        for (String upsert : List.of("false", "true")) {
            JsonNode job = finished(server, json(upload(server, "[" + user(email, null) + "]",
                    Map.of("connection_id", connectionId, "upsert", upsert))).path("id").asText());
            assertThat(job.path("summary").path("failed").asInt()).as("upsert " + upsert).isEqualTo(1);
            assertThat(job.path("summary").path("inserted").asInt() + job.path("summary").path("updated").asInt())
                    .isZero();
        }
        assertThat(json(server.management("GET", "api/v2/users-by-email?email=" + encode(email), null))).isEmpty();
    }

    @Test
    void theIdOfALinkedDatabaseIdentityIsADuplicate() {
        // Unlinking the identity makes its user again (Auth0 "Unlink a user identity"): its id stays taken.
        String primary = TestUsers.create(server, "id-primary." + tag() + "@example.com").userId();
        String secondary = TestUsers.create(server, "id-linked." + tag() + "@example.com").userId();
        String id = secondary.substring("auth0|".length());
        HttpResponse<String> linked = server.management("POST", "api/v2/users/" + encode(primary) + "/identities",
                "{\"provider\":\"auth0\",\"user_id\":\"" + id + "\"}");
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);

        String file = "[{\"email\":\"id-new." + tag() + "@example.com\",\"user_id\":\"" + id + "\"}]";
        JsonNode job = finished(server, json(upload(server, file, Map.of("connection_id", connectionId)))
                .path("id").asText());
        assertThat(job.path("summary").path("failed").asInt()).isEqualTo(1);
        assertThat(server.management("GET", "api/v2/users/" + encode(secondary), null).statusCode()).isEqualTo(404);
        HttpResponse<String> unlinked = server.management("DELETE", "api/v2/users/" + encode(primary)
                + "/identities/auth0/" + encode(id), null);
        assertThat(unlinked.statusCode()).as(unlinked.body()).isEqualTo(200);
    }

    @Test
    void refusesMalformedFilesAndBadRequestsBeforeAnyJobExists() {
        for (String file : List.of("{\"email\":\"a@example.com\"}", "[{\"email\":", "not json", "[1] trailing",
                "[" + "[".repeat(100) + "]".repeat(100) + "]")) {
            HttpResponse<String> response = upload(server, file, Map.of("connection_id", connectionId));
            assertThat(response.statusCode()).as(file + " " + response.body()).isEqualTo(400);
            assertThat(json(response).path("statusCode").asInt()).isEqualTo(400);
        }
        assertThat(upload(server, "[]", Map.of()).statusCode()).isEqualTo(400);
        assertThat(upload(server, "[]", Map.of("connection_id", "con_nope")).statusCode()).isEqualTo(404);
        assertThat(upload(server, "[]", Map.of("connection_id", connectionId, "upsert", "yes")).statusCode())
                .isEqualTo(400);
        assertThat(upload(server, "[]", Map.of("connection_id", "con\u0000x")).statusCode()).isEqualTo(400);
        assertThat(server.management("POST", "api/v2/jobs/users-imports", "{}").statusCode()).isEqualTo(400);
        HttpResponse<String> garbage = server.send(HttpRequest.newBuilder(server.uri("api/v2/jobs/users-imports"))
                .header("Authorization", "Bearer " + server.managementToken())
                .header("Content-Type", "multipart/form-data; boundary=xyz")
                .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\nnot a part\r\n\u0000")));
        assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
        assertThat(server.management("GET", "api/v2/jobs/job_doesnotexist", null).statusCode()).isEqualTo(404);
        assertThat(server.management("GET", "api/v2/jobs/" + encode("x' OR 1=1"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesAFileAboveTheConfiguredSizeWith413() {
        System.setProperty("latchkey.import.max.bytes", "2048");
        TestServer small;
        try {
            small = TestServer.start();
        } finally {
            System.clearProperty("latchkey.import.max.bytes");
        }
        try (small) {
            String big = "[" + String.join(",", java.util.Collections.nCopies(200, "{\"email\":\"big@example.com\"}")) + "]";
            HttpResponse<String> response = upload(small, big, Map.of("connection_id", "con_any"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            assertThat(json(response).path("error").asText()).isEqualTo("Payload Too Large");
        }
    }

    @Test
    void exportsCsvAndNdjsonDownloadedThroughAShortLivedSignedLink() throws IOException {
        String tag = tag();
        String file = "[" + user("a." + tag + "@example.com", null) + "," + user("b." + tag + "@example.com", null) + "]";
        finished(server, json(upload(server, file, Map.of("connection_id", connectionId))).path("id").asText());

        HttpResponse<String> csvStarted = server.management("POST", "api/v2/jobs/users-exports", """
                {"connection_id":"%s","format":"csv","fields":[{"name":"email"},{"name":"app_metadata.plan",
                 "export_as":"plan"},{"name":"name"}]}""".formatted(connectionId));
        assertThat(csvStarted.statusCode()).as(csvStarted.body()).isEqualTo(201);
        JsonNode csvJob = finished(server, json(csvStarted).path("id").asText());
        assertThat(csvJob.path("status").asText()).isEqualTo("completed");
        String csv = download(csvJob.path("location").asText());
        assertThat(csv).startsWith("email,plan,name\n").contains("a." + tag + "@example.com,gold,Imported a." + tag);

        JsonNode jsonJob = finished(server, json(server.management("POST", "api/v2/jobs/users-exports", """
                {"format":"json","limit":100000,"fields":[{"name":"user_id"},{"name":"email"},
                 {"name":"user_metadata.lang","export_as":"lang"}]}""")).path("id").asText());
        String ndjson = download(jsonJob.path("location").asText());
        String line = ndjson.lines().filter(l -> l.contains("b." + tag)).findFirst().orElseThrow();
        assertThat(parse(line).path("lang").asText()).isEqualTo("fr");
        assertThat(parse(line).path("user_id").asText()).startsWith("auth0|");

        String location = jsonJob.path("location").asText();
        String tampered = location.replaceAll("signature=.", "signature=A");
        assertThat(raw(tampered).statusCode()).isEqualTo(401);
        assertThat(raw(location.replaceAll("expires=\\d+", "expires=1")).statusCode()).isEqualTo(401);

        for (String bad : List.of("{\"format\":\"xml\"}", "{\"fields\":[{\"name\":\"a b\"}]}", "{\"limit\":-1}",
                "{\"fields\":\"email\"}", "{\"connection_id\":\"con_nope\"}", "{\"format\":\"csv\",\"other\":1}")) {
            HttpResponse<String> response = server.management("POST", "api/v2/jobs/users-exports", bad);
            assertThat(response.statusCode()).as(bad + " " + response.body()).isIn(400, 404);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return TestServer.JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<byte[]> raw(String location) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String download(String location) throws IOException {
        HttpResponse<byte[]> response = raw(location);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(response.body()))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static HttpResponse<String> login(String email, String password) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", REALM_GRANT);
        params.put("client_id", app.path("client_id").asText());
        params.put("client_secret", app.path("client_secret").asText());
        params.put("username", email);
        params.put("password", password);
        params.put("realm", CONNECTION);
        return server.send(HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(params.entrySet().stream()
                        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&")))));
    }

    private static String storedHash(String email) {
        return Jdbi.create(server.latchkey().settings().databaseUrl()).withHandle(h -> h.createQuery(
                "SELECT password_hash FROM users WHERE email = :email").bind("email", email).mapTo(String.class).one());
    }
}
