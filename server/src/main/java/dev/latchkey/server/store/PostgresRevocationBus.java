package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.token.AuthorizationStore;
import dev.latchkey.server.token.RevocationBus;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Revocations told to every node through PostgreSQL's LISTEN/NOTIFY: a node that revokes sends the
 * revoked authorization ids and opaque-token digests on a channel, and every node (itself included)
 * drops them from its caches as the notification arrives, typically within milliseconds. A listener
 * holds one connection of its own; when it breaks, the listener reconnects and asks the caches to
 * forget everything, since notifications sent meanwhile are lost.
 */
public final class PostgresRevocationBus implements RevocationBus, AutoCloseable {

    static final String CHANNEL = "latchkey_revoked";
    /** PostgreSQL refuses payloads of 8000 bytes or more: larger revocations are sent in parts. */
    static final int MAX_PAYLOAD = 7_000;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresRevocationBus.class);
    private static final TypeReference<Map<String, List<String>>> PAYLOAD = new TypeReference<>() {
    };

    private final Jdbi jdbi;
    private final String url;
    private final Properties credentials = new Properties();
    private final List<Consumer<AuthorizationStore.Revoked>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> gapListeners = new CopyOnWriteArrayList<>();
    private final Thread listener;
    private volatile boolean closed;

    public PostgresRevocationBus(Jdbi jdbi, String url, String user, String password) {
        this.jdbi = jdbi;
        this.url = url;
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        credentials.setProperty("ApplicationName", ReleaseGate.APPLICATION_NAME);
        this.listener = new Thread(this::listen, "latchkey-revocations");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void publish(AuthorizationStore.Revoked revoked) {
        for (String payload : payloads(revoked)) {
            try {
                jdbi.useHandle(h -> h.createQuery("SELECT pg_notify(:channel, :payload)")
                        .bind("channel", CHANNEL).bind("payload", payload).mapTo(String.class).findOne());
            } catch (RuntimeException e) {
                // The rows are revoked already; other nodes' caches forget them within their TTL.
                LOG.warn("Could not tell the other nodes about a revocation: {}", e.getMessage());
            }
        }
    }

    @Override
    public void subscribe(Consumer<AuthorizationStore.Revoked> listener, Runnable missedSome) {
        listeners.add(listener);
        gapListeners.add(missedSome);
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
    }

    /** Splits a revocation into payloads below PostgreSQL's limit. */
    static List<String> payloads(AuthorizationStore.Revoked revoked) {
        List<String> payloads = new ArrayList<>();
        List<String> authorizations = new ArrayList<>();
        List<String> opaque = new ArrayList<>();
        int size = 0;
        for (String id : revoked.authorizationIds()) {
            if (size + id.length() > MAX_PAYLOAD) {
                payloads.add(payload(authorizations, opaque));
                authorizations = new ArrayList<>();
                opaque = new ArrayList<>();
                size = 0;
            }
            authorizations.add(id);
            size += id.length() + 3;
        }
        for (String hash : revoked.opaqueTokenHashes()) {
            if (size + hash.length() > MAX_PAYLOAD) {
                payloads.add(payload(authorizations, opaque));
                authorizations = new ArrayList<>();
                opaque = new ArrayList<>();
                size = 0;
            }
            opaque.add(hash);
            size += hash.length() + 3;
        }
        if (!authorizations.isEmpty() || !opaque.isEmpty()) {
            payloads.add(payload(authorizations, opaque));
        }
        return payloads;
    }

    private static String payload(List<String> authorizations, List<String> opaque) {
        return JsonColumns.write(Map.of("a", authorizations, "o", opaque));
    }

    private void listen() {
        long backoff = 100;
        boolean connectedBefore = false;
        while (!closed) {
            try (Connection connection = DriverManager.getConnection(url, credentials)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                if (connectedBefore) {
                    // Notifications sent while we were away are lost: start from empty caches.
                    gapListeners.forEach(Runnable::run);
                }
                connectedBefore = true;
                backoff = 100;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(1_000);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        deliver(notification.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("Revocation listener lost its connection ({}); reconnecting", e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void deliver(String payload) {
        Map<String, List<String>> parsed;
        try {
            parsed = JsonColumns.read(payload, PAYLOAD);
        } catch (IllegalStateException e) {
            LOG.warn("Ignoring a malformed revocation notice");
            return;
        }
        AuthorizationStore.Revoked revoked = new AuthorizationStore.Revoked(
                parsed.getOrDefault("a", List.of()), parsed.getOrDefault("o", List.of()));
        listeners.forEach(listener -> listener.accept(revoked));
    }
}
