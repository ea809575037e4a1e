package dev.latchkey.server.identity;

import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseUserDirectoryTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void unknownEmailIsWrongCredentials() {
        UserDirectory users = server.latchkey().users();
        assertThat(users.login(UserDirectory.DEFAULT_CONNECTION, "nobody@example.com", "Whatever-123", "10.0.0.1"))
                .isInstanceOf(LoginResult.WrongCredentials.class);
        assertThat(users.findByEmail(UserDirectory.DEFAULT_CONNECTION, "nobody@example.com")).isEmpty();
    }
}
