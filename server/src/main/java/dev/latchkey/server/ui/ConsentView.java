package dev.latchkey.server.ui;

import java.util.List;

/**
 * What the consent page shows: the application, the API (or null), the user and the scopes asked; {@code device}
 * when the answer connects a device (RFC 8628 §5.4: the user is asked to make sure they started it).
 */
public record ConsentView(String appName, String apiName, String userLabel, String state, String csrf,
                          List<ScopeLine> scopes, boolean device) {

    public ConsentView {
        scopes = List.copyOf(scopes);
    }

    /** One scope in words: a short title and what it allows. */
    public record ScopeLine(String title, String text) {
    }
}
