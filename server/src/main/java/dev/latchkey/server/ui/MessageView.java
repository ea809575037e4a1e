package dev.latchkey.server.ui;

/** A page that only says something: an error or a notice; {@code detail} may be null. */
public record MessageView(String title, String message, String detail) {
}
