package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * SIGTERM on {@code latchkey serve}: the server stops accepting connections, answers the requests in
 * flight completely (here user creations, each inside its handler when the signal comes), then exits
 * within 10 s. Each request is held in flight deterministically: it asks {@code Expect: 100-continue},
 * and the server sends {@code 100 Continue} only once its handler reads the body; the test sends the
 * body only after the signal, once the port refuses new connections.
 */
class GracefulStopTest {

    private static final int IN_FLIGHT = 3;
    private static final String CLIENT_ID = "graceful-stop-client";
    private static final String CLIENT_SECRET = "s".repeat(48);

    @Test
    void sigtermFinishesRequestsInFlightAndExitsWithin10Seconds(@TempDir Path dataDir) throws Exception {
        int port = TestServer.freePort();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), dev.latchkey.server.Main.class.getName(),
                "serve", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--data-dir", dataDir.toString(),
                "--issuer", "http://localhost:" + port + "/",
                "--master-key", Base64.getEncoder().encodeToString(new byte[32]),
                "--bootstrap-client-id", CLIENT_ID, "--bootstrap-client-secret", CLIENT_SECRET)
                .redirectErrorStream(true).start();
        List<Socket> sockets = new ArrayList<>();
        List<String> outputSoFar = new java.util.concurrent.CopyOnWriteArrayList<>();
        BlockingQueue<String> output;
        try {
            output = lines(process.getInputStream(), outputSoFar);
            String audience = awaitLine(output, "  management: ").substring("  management: ".length()).trim();
            String token = managementToken(port, audience);

            for (int i = 0; i < IN_FLIGHT; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(15_000);
                sockets.add(socket);
                String body = userBody(i);
                socket.getOutputStream().write(("POST /api/v2/users HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                        + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                        + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            for (Socket socket : sockets) {
                assertThat(readHead(socket.getInputStream())).as("the handler reads the body")
                        .startsWith("HTTP/1.1 100");
            }

            long signalled = System.nanoTime();
            process.destroy(); // SIGTERM
            awaitRefused(port);

            for (int i = 0; i < IN_FLIGHT; i++) {
                OutputStream out = sockets.get(i).getOutputStream();
                out.write(userBody(i).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            for (int i = 0; i < IN_FLIGHT; i++) {
                Answer answer = readAnswer(sockets.get(i).getInputStream());
                assertThat(answer.head()).as(answer.body()).startsWith("HTTP/1.1 201");
                JsonNode user = TestServer.JSON.readTree(answer.body());
                assertThat(user.path("email").asText()).isEqualTo("stop" + i + "@example.com");
            }

            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s of SIGTERM").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled)).isLessThan(10);
        } catch (AssertionError e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(e.getMessage() + "\nserver output:\n" + String.join("\n", outputSoFar), e);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
            process.destroyForcibly();
        }
    }

    private static String userBody(int i) {
        return "{\"connection\":\"Username-Password-Authentication\",\"email\":\"stop" + i + "@example.com\","
                + "\"password\":\"Correct-Horse-9-Battery!\"}";
    }

    private static String managementToken(int port, String audience) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + CLIENT_ID
                        + "&client_secret=" + CLIENT_SECRET + "&audience=" + audience)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.JSON.readTree(response.body()).path("access_token").asText();
    }

    /** Waits until the port refuses a connection: the server has begun to stop. */
    private static void awaitRefused(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                Thread.onSpinWait();
            } catch (ConnectException refused) {
                return;
            } catch (IOException e) {
                Thread.onSpinWait();
            }
        }
        fail("the port still accepts connections 10 s after SIGTERM");
    }

    private static BlockingQueue<String> lines(InputStream in, List<String> copy) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    copy.add(line);
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "serve-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String awaitLine(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line != null) {
                seen.append(line).append('\n');
            }
        }
        return fail("no line starting with '" + prefix + "' in:\n" + seen);
    }

    private record Answer(String head, String body) {
    }

    /** A complete HTTP/1.1 answer: the head, then exactly Content-Length bytes, or a reset fails the test. */
    private static Answer readAnswer(InputStream in) throws IOException {
        String head = readHead(in);
        int length = -1;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        assertThat(length).as("a Content-Length in " + head).isNotNegative();
        byte[] body = in.readNBytes(length);
        assertThat(body).as("the whole body").hasSize(length);
        return new Answer(head, new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                fail("the connection ended inside the response head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
