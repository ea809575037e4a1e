package dev.latchkey.server.ui;

/** What the code entry page shows: the code as typed or pre-filled, and an error or null. */
public record ActivateView(String userCode, String error) {
}
