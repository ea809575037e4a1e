package dev.latchkey.server.ui;

/** An authorization response posted to the parent window (Auth0's web_message mode). */
public record WebMessageView(String origin, String json) {
}
