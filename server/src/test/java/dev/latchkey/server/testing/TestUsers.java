package dev.latchkey.server.testing;

import dev.latchkey.server.identity.PasswordHasher;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.store.JdbcUserStore;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Creates users of the default connection directly in a test server's (in-memory) database. */
public final class TestUsers {

    public static final String PASSWORD = "correct horse battery staple";

    private TestUsers() {
    }

    public static User create(TestServer server, String email) {
        return create(server, email, PASSWORD, false);
    }

    public static User create(TestServer server, String email, String password, boolean blocked) {
        Jdbi jdbi = Jdbi.create(server.latchkey().settings().databaseUrl());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String name = email.substring(0, email.indexOf('@'));
        User user = new User(User.ID_PREFIX + RandomStrings.hex(24), UserDirectory.DEFAULT_CONNECTION,
                email.toLowerCase(), true, name + " Example", name, "Example", name,
                "https://example.com/" + name + ".png", Map.of(), Map.of(), blocked, now, now, null, 0);
        new JdbcUserStore(jdbi).create(user, new PasswordHasher(TestServer.CHEAP_PASSWORDS).hash(password));
        return user;
    }
}
