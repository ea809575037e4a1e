package dev.latchkey.server.ui;

import java.util.List;

/**
 * What the login page shows. {@code error} is null until a failed attempt; {@code buttons} are the upstream
 * connections enabled for the client, one button each.
 */
public record LoginView(String appName, String state, String csrf, String email, String error, List<Button> buttons) {

    public LoginView {
        buttons = buttons == null ? List.of() : List.copyOf(buttons);
    }

    public LoginView(String appName, String state, String csrf, String email, String error) {
        this(appName, state, csrf, email, error, List.of());
    }

    /** A connection's button: {@code href} starts the login there. */
    public record Button(String label, String href) {
    }
}
