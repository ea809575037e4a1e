package dev.latchkey.server.ui;

import java.util.Map;

/** An authorization response sent by an auto-submitting form (OAuth 2.0 Form Post Response Mode §2). */
public record FormPostView(String action, Map<String, String> params) {
}
