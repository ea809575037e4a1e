package dev.latchkey.server.ui;

/** What the login page shows. {@code error} is null until a failed attempt. */
public record LoginView(String appName, String state, String csrf, String email, String error) {
}
