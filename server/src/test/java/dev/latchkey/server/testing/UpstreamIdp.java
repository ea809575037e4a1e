package dev.latchkey.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * node-oidc-provider ({@code src/test/node/upstream-idp.mjs}) running as an upstream OpenID Provider on a free
 * port, with one client whose redirect URI is {@code redirectUri}; stopped by {@link #close()}.
 */
public final class UpstreamIdp implements AutoCloseable {

    public static final String CLIENT_ID = "latchkey-upstream";
    public static final String CLIENT_SECRET = "upstream-client-secret-0123456789abcdef";

    private final Process process;
    private final String issuer;

    private UpstreamIdp(Process process, String issuer) {
        this.process = process;
        this.issuer = issuer;
    }

    public static UpstreamIdp start(String redirectUri, Map<String, String> extra) {
        NodePeers.require("oidc-provider");
        int port = TestServer.freePort();
        ProcessBuilder builder = new ProcessBuilder("node", "upstream-idp.mjs")
                .directory(NodePeers.DIRECTORY.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("PORT", Integer.toString(port), "CLIENT_ID", CLIENT_ID,
                "CLIENT_SECRET", CLIENT_SECRET, "REDIRECT_URI", redirectUri));
        builder.environment().putAll(extra);
        try {
            Process process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith("READY ")) {
                            return line.substring("READY ".length());
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String issuer = ready.get(30, TimeUnit.SECONDS);
            if (issuer == null) {
                throw new IllegalStateException("node-oidc-provider exited before it listened");
            }
            // Keep draining its output so that it never blocks on a full pipe.
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // discarded
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "upstream-idp-output");
            drain.setDaemon(true);
            drain.start();
            return new UpstreamIdp(process, issuer);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start node-oidc-provider: " + e.getMessage(), e);
        }
    }

    /** Without a trailing slash, as node-oidc-provider names itself. */
    public String issuer() {
        return issuer;
    }

    public String discoveryUrl() {
        return issuer + "/.well-known/openid-configuration";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
